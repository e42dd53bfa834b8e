import { Readable } from "node:stream";
import type { HostExportRow } from "@certfleet/contracts";
import { stringify } from "csv-stringify/sync";
import { exportCells, HOST_EXPORT_COLUMNS, isClientGone } from "./host-export-columns";

const OPTIONS = {
  columns: HOST_EXPORT_COLUMNS.map(({ key, header }) => ({ key, header })),
  // An FQDN or group name like "=HYPERLINK(...)" must stay text when someone opens the file in Excel.
  escape_formulas: true,
};

/**
 * The rows as CSV with a header row, one chunk per database batch: a chunk per row would cost a
 * socket write (and a client read) per row. The stream pulls the next batch only when the client
 * has taken the last one; a client that goes away stops the generator, which stops the queries.
 */
export function hostCsvStream(
  batches: AsyncIterable<HostExportRow[]>,
  onError: (error: Error) => void,
): Readable {
  // Bytes, not objects: a byte high-water mark holds one batch back, not sixteen.
  const csv = Readable.from(csvChunks(batches), { objectMode: false });
  csv.on("error", (error) => {
    if (!isClientGone(error)) onError(error);
  });
  return csv;
}

async function* csvChunks(batches: AsyncIterable<HostExportRow[]>): AsyncGenerator<string> {
  let header = true;
  for await (const batch of batches) {
    yield stringify(batch.map(exportCells), { ...OPTIONS, header });
    header = false;
  }
  if (header) yield stringify([], { ...OPTIONS, header: true });
}
