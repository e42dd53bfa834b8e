import type { HostExportFormat } from "@certfleet/contracts";
import { ApiError } from "./api";
import { toSearchParams } from "./host-query";
import type { HostListParams } from "./query-keys";

/** The API's row-count header (EXPORT_TOTAL_HEADER in the contracts; the web bundle imports types only). */
const TOTAL_HEADER = "x-total-count";
const NEWLINE = 0x0a;

/** The export of exactly the hosts (and order) the list shows for these parameters. */
export function hostExportUrl(format: HostExportFormat, params: HostListParams): string {
  const search = toSearchParams(params).toString();
  return `/api/v1/hosts/export.${format}${search ? `?${search}` : ""}`;
}

export interface ExportProgress {
  format: HostExportFormat;
  /** Rows the export holds (X-Total-Count), null if the API did not say. */
  total: number | null;
  /** CSV only: data rows received so far (newlines after the header's). */
  rows: number;
  bytes: number;
}

export interface DownloadedExport {
  blob: Blob;
  filename: string;
  progress: ExportProgress;
}

/**
 * Downloads an export as it streams, reporting progress per chunk: CSV rows are counted by their
 * newlines (no exported value holds one); an XLSX is compressed, so only its bytes can be counted.
 * A problem+json answer becomes an ApiError; an abort rejects with the signal's AbortError.
 */
export async function downloadExport(
  url: string,
  format: HostExportFormat,
  options: { signal: AbortSignal; onProgress: (progress: ExportProgress) => void },
): Promise<DownloadedExport> {
  const response = await fetchExport(url, options.signal);
  if (!response.ok) throw await problemError(response);
  if (!response.body) throw new ApiError(response.status, "Empty export", "The API sent no file.", undefined);

  const totalHeader = response.headers.get(TOTAL_HEADER);
  const total = totalHeader !== null && /^\d+$/.test(totalHeader) ? Number(totalHeader) : null;
  const progress: ExportProgress = { format, total, rows: 0, bytes: 0 };
  let newlines = 0;
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    progress.bytes += value.byteLength;
    if (format === "csv") {
      for (let at = value.indexOf(NEWLINE); at !== -1; at = value.indexOf(NEWLINE, at + 1)) newlines++;
      progress.rows = Math.max(0, newlines - 1);
    }
    options.onProgress({ ...progress });
    // fetch errors the body on abort too; checking here also stops a body that ignores the signal.
    if (options.signal.aborted) {
      await reader.cancel().catch(() => {});
      options.signal.throwIfAborted();
    }
  }
  const type = response.headers.get("content-type") ?? "application/octet-stream";
  return {
    blob: new Blob(chunks as BlobPart[], { type }),
    filename: attachmentFilename(response.headers.get("content-disposition"), `certfleet-hosts.${format}`),
    progress,
  };
}

async function fetchExport(url: string, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { signal, headers: { accept: "*/*, application/problem+json" } });
  } catch (cause) {
    if (signal.aborted) throw cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, "Network error", detail, undefined);
  }
}

async function problemError(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const problem = body as { title?: unknown; detail?: unknown } | null;
  const title =
    typeof problem?.title === "string" ? problem.title : response.statusText || `HTTP ${response.status}`;
  const detail = typeof problem?.detail === "string" ? problem.detail : undefined;
  return new ApiError(response.status, title, detail, body);
}

/** The filename of `attachment; filename="x.csv"`, or the fallback. */
export function attachmentFilename(header: string | null, fallback: string): string {
  const match = header ? /filename="?([^";]+)"?/i.exec(header) : null;
  return match?.[1]?.trim() || fallback;
}

const count = new Intl.NumberFormat("en-US");

/** "Exporting… 12,345 of 200,000 rows" (CSV) or "Exporting 200,000 rows… 3.2 MB received" (XLSX). */
export function progressText(progress: ExportProgress): string {
  if (progress.format === "csv") {
    return progress.total === null
      ? `Exporting… ${count.format(progress.rows)} rows`
      : `Exporting… ${count.format(progress.rows)} of ${count.format(progress.total)} rows`;
  }
  const received = `${(progress.bytes / 1_000_000).toFixed(1)} MB received`;
  return progress.total === null
    ? `Exporting… ${received}`
    : `Exporting ${count.format(progress.total)} rows… ${received}`;
}

/** Saves a downloaded file the way a link with `download` would. */
export function saveFile(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns: free the memory once the download has it.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
