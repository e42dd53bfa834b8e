import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../src/lib/api";
import {
  attachmentFilename,
  downloadExport,
  type ExportProgress,
  hostExportUrl,
  progressText,
} from "../src/lib/export-download";

afterEach(() => vi.unstubAllGlobals());

/** A streamed response whose body arrives in these chunks. */
function streamed(chunks: string[], headers: Record<string, string>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers });
}

const csvHeaders = {
  "content-type": "text/csv; charset=utf-8",
  "content-disposition": 'attachment; filename="certfleet-hosts-2026-01-02.csv"',
  "x-total-count": "3",
};

describe("hostExportUrl", () => {
  it("asks for exactly the list's filter and sort, in the list's parameter order", () => {
    expect(hostExportUrl("csv", { sort: "fqdn", status: "error,warning", managementGroup: "" })).toBe(
      "/api/v1/hosts/export.csv?status=error%2Cwarning&managementGroup=&sort=fqdn",
    );
    expect(hostExportUrl("xlsx", {})).toBe("/api/v1/hosts/export.xlsx");
  });
});

describe("downloadExport", () => {
  it("counts CSV rows as lines arrive (split across chunks), against X-Total-Count", async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      streamed(
        ["FQDN,Role\na.contoso.com,Ag", "ent\nb.contoso.com,Agent\n", "c.contoso.com,Gateway\n"],
        csvHeaders,
      ),
    );
    vi.stubGlobal("fetch", fetch);
    const seen: ExportProgress[] = [];
    const file = await downloadExport("/api/v1/hosts/export.csv?q=x", "csv", {
      signal: new AbortController().signal,
      onProgress: (progress) => seen.push(progress),
    });
    expect(fetch.mock.calls[0]?.[0]).toBe("/api/v1/hosts/export.csv?q=x");
    expect(seen.map((progress) => progress.rows)).toEqual([0, 2, 3]);
    expect(seen.every((progress) => progress.total === 3)).toBe(true);
    expect(file.filename).toBe("certfleet-hosts-2026-01-02.csv");
    expect(await file.blob.text()).toBe(
      "FQDN,Role\na.contoso.com,Agent\nb.contoso.com,Agent\nc.contoso.com,Gateway\n",
    );
    expect(file.blob.type).toBe("text/csv; charset=utf-8");
  });

  it("counts bytes, not rows, of an XLSX", async () => {
    vi.stubGlobal("fetch", async () => streamed(["PK\u0003\u0004", "0123456789"], { "x-total-count": "2" }));
    const seen: ExportProgress[] = [];
    await downloadExport("/x.xlsx", "xlsx", {
      signal: new AbortController().signal,
      onProgress: (progress) => seen.push(progress),
    });
    expect(seen.map((progress) => [progress.bytes, progress.rows])).toEqual([
      [4, 0],
      [14, 0],
    ]);
  });

  it("turns a problem+json answer into an ApiError with the API's words", async () => {
    vi.stubGlobal(
      "fetch",
      async () =>
        new Response(
          JSON.stringify({ title: "Invalid request", status: 400, detail: "status must match pattern" }),
          { status: 400, headers: { "content-type": "application/problem+json" } },
        ),
    );
    const failure = downloadExport("/x.csv", "csv", {
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      status: 400,
      title: "Invalid request",
      detail: "status must match pattern",
    });
  });

  it("stops reading when cancelled", async () => {
    const abort = new AbortController();
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode("row\n"));
      },
    });
    vi.stubGlobal("fetch", async () => new Response(body, { headers: csvHeaders }));
    const failure = downloadExport("/x.csv", "csv", {
      signal: abort.signal,
      onProgress: (progress) => {
        if (progress.rows === 5) abort.abort();
      },
    });
    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
    expect(pulls).toBeLessThan(10);
  });
});

describe("progress text and filename", () => {
  it("says rows of total for CSV and bytes for XLSX", () => {
    expect(progressText({ format: "csv", total: 200_000, rows: 12_345, bytes: 0 })).toBe(
      "Exporting… 12,345 of 200,000 rows",
    );
    expect(progressText({ format: "csv", total: null, rows: 7, bytes: 0 })).toBe("Exporting… 7 rows");
    expect(progressText({ format: "xlsx", total: 200_000, rows: 0, bytes: 3_250_000 })).toBe(
      "Exporting 200,000 rows… 3.3 MB received",
    );
  });

  it("reads the attachment's filename, or falls back", () => {
    expect(attachmentFilename('attachment; filename="certfleet-hosts-2026-01-02.xlsx"', "x")).toBe(
      "certfleet-hosts-2026-01-02.xlsx",
    );
    expect(attachmentFilename(null, "certfleet-hosts.csv")).toBe("certfleet-hosts.csv");
  });
});
