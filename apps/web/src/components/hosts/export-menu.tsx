"use client";

import type { HostExportFormat } from "@certfleet/contracts";
import { useEffect, useRef, useState } from "react";
import { MutationError } from "@/components/ui/form-bits";
import {
  downloadExport,
  type ExportProgress,
  hostExportUrl,
  progressText,
  saveFile,
} from "@/lib/export-download";
import type { HostListParams } from "@/lib/query-keys";

type ExportState =
  | { kind: "idle"; message?: string }
  | { kind: "running"; progress: ExportProgress }
  | { kind: "failed"; error: unknown };

const FORMAT_LABEL: Record<HostExportFormat, string> = { csv: "CSV", xlsx: "XLSX" };
const count = new Intl.NumberFormat("en-US");

/**
 * "Export CSV" / "Export XLSX" of exactly the list shown (same filter and sort). The file streams
 * in with a progress bar and can be cancelled; it is saved once complete, never half-written.
 */
export function ExportMenu({ params }: { params: HostListParams }) {
  const [state, setState] = useState<ExportState>({ kind: "idle" });
  const controller = useRef<AbortController | null>(null);

  // Leaving the page stops the download (and so the export on the server).
  useEffect(() => () => controller.current?.abort(), []);

  const start = async (format: HostExportFormat) => {
    const abort = new AbortController();
    controller.current = abort;
    setState({ kind: "running", progress: { format, total: null, rows: 0, bytes: 0 } });
    try {
      const file = await downloadExport(hostExportUrl(format, params), format, {
        signal: abort.signal,
        onProgress: (progress) => setState({ kind: "running", progress }),
      });
      saveFile(file.blob, file.filename);
      const rows = file.progress.total ?? file.progress.rows;
      setState({ kind: "idle", message: `Saved ${file.filename} (${count.format(rows)} rows).` });
    } catch (error) {
      if (abort.signal.aborted) setState({ kind: "idle", message: "Export cancelled." });
      else setState({ kind: "failed", error });
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  };

  const running = state.kind === "running" ? state.progress : null;
  return (
    <div className="export-menu" data-testid="export-menu">
      <fieldset className="export-buttons" aria-label="Export the hosts shown">
        {(["csv", "xlsx"] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button button-secondary"
            disabled={running !== null}
            onClick={() => void start(format)}
          >
            Export {FORMAT_LABEL[format]}
          </button>
        ))}
      </fieldset>
      {running ? (
        <div className="export-progress" data-testid="export-progress">
          <span className="small">{progressText(running)}</span>
          <progress
            aria-label={`${FORMAT_LABEL[running.format]} export progress`}
            // CSV rows can be counted against the total; a compressed XLSX cannot: indeterminate.
            {...(running.format === "csv" && running.total
              ? { max: running.total, value: running.rows }
              : {})}
          />
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => controller.current?.abort()}
          >
            Cancel
          </button>
        </div>
      ) : null}
      {/* Announced once per outcome, not at every progress tick. */}
      <p className="export-status small muted" role="status">
        {running
          ? `Exporting ${FORMAT_LABEL[running.format]}…`
          : state.kind === "idle"
            ? (state.message ?? "")
            : ""}
      </p>
      {state.kind === "failed" ? <MutationError error={state.error} /> : null}
    </div>
  );
}
