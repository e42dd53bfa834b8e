import { HOST_EXPORT_HEADERS, type HostExportRow } from "@certfleet/contracts";

type Column = keyof HostExportRow;

/** Spreadsheet column widths in characters, wide enough for typical values (a Record: none is missed). */
const WIDTHS: Record<Column, number> = {
  fqdn: 36,
  role: 18,
  managementGroup: 18,
  status: 10,
  reporting: 11,
  lastReportAt: 25,
  serialNumber: 40,
  thumbprint: 42,
  sha256: 66,
  notAfter: 25,
  daysLeft: 10,
  expiry: 13,
  errorRules: 28,
  warningRules: 28,
  openTaskStatus: 22,
};

/** The file's columns, in the contract's header order. */
export const HOST_EXPORT_COLUMNS: readonly { key: Column; header: string; width: number }[] = (
  Object.keys(HOST_EXPORT_HEADERS) as Column[]
).map((key) => ({ key, header: HOST_EXPORT_HEADERS[key], width: WIDTHS[key] }));

export type ExportCell = string | number | null;

/** A row as flat cells: rule lists joined with "; " (a rule id never holds one), nulls left empty. */
export function exportCells(row: HostExportRow): Record<Column, ExportCell> {
  return {
    ...row,
    errorRules: row.errorRules.join("; "),
    warningRules: row.warningRules.join("; "),
  };
}

/** The reply closed before the end: the client cancelled, nothing failed on our side. */
export function isClientGone(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE";
}
