import { PassThrough, type Readable, type Writable } from "node:stream";
import type { HostExportRow } from "@certfleet/contracts";
import ExcelJS from "exceljs";
import { exportCells, HOST_EXPORT_COLUMNS, isClientGone } from "./host-export-columns";

/**
 * The rows as a one-sheet workbook, written row by row with exceljs' streaming writer (no shared
 * strings, no styles: nothing grows with the row count). Dates stay ISO 8601 text: without a style
 * a date cell would show as a bare serial number.
 */
export function hostXlsxStream(
  batches: AsyncIterable<HostExportRow[]>,
  onError: (error: Error) => void,
): Readable {
  const out = new PassThrough();
  writeWorkbook(batches, out).catch((error: unknown) => {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (!isClientGone(failure)) onError(failure);
    out.destroy(failure);
  });
  return out;
}

async function writeWorkbook(batches: AsyncIterable<HostExportRow[]>, out: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet("Hosts", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = HOST_EXPORT_COLUMNS.map(({ key, header, width }) => ({ key, header, width }));
  for await (const batch of batches) {
    for (const row of batch) sheet.addRow(exportCells(row)).commit();
    // exceljs never pushes back: wait here while the client is behind, or memory grows with the file.
    if (out.writableNeedDrain && !(await drained(out))) return; // leaving the loop stops the queries
  }
  sheet.commit();
  await workbook.commit();
}

/** Resolves true once the stream drains, false if it closes first (the client went away). */
function drained(stream: Writable): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (result: boolean) => () => {
      stream.off("drain", onDrain);
      stream.off("close", onClose);
      resolve(result);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    stream.once("drain", onDrain);
    stream.once("close", onClose);
  });
}
