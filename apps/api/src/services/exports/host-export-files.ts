import type { Readable } from "node:stream";
import type { HostExportFormat, HostExportRow } from "@certfleet/contracts";
import { hostCsvStream } from "./host-export-csv";
import { hostXlsxStream } from "./host-export-xlsx";

export interface HostExportFile {
  contentType: string;
  /** Serialises the rows as they are pulled; `onError` hears of failures after the headers went out. */
  stream: (batches: AsyncIterable<HostExportRow[]>, onError: (error: Error) => void) => Readable;
}

export const HOST_EXPORT_FILES: Record<HostExportFormat, HostExportFile> = {
  csv: { contentType: "text/csv; charset=utf-8", stream: hostCsvStream },
  xlsx: {
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    stream: hostXlsxStream,
  },
};

/** certfleet-hosts-2025-06-01.csv: the UTC day the export was made. */
export function hostExportFilename(format: HostExportFormat, now: Date): string {
  return `certfleet-hosts-${now.toISOString().slice(0, 10)}.${format}`;
}
