import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { EXPORT_TOTAL_HEADER, type HostExportFormat } from "@certfleet/contracts";
import { type ApiTarget, callApi, describeProblem, readProblem } from "./api-client";
import { CliError, EXIT, type ExitCode } from "./exit-codes";
import { createProgress, formatBytes, plural } from "./progress";

export interface ExportOptions {
  format: HostExportFormat;
  /** The host list's filters, by the API's query names (status, role, managementGroup, …). */
  filter: Record<string, string | undefined>;
  out: string;
  baseDir: string;
  log: (line: string) => void;
}

/**
 * `certfleet export hosts`: streams GET /api/v1/hosts/export.{csv,xlsx} into a file as it arrives,
 * never holding it whole. It is written to `<out>.part` and renamed when complete, so a cut-off
 * download never leaves a file that looks finished.
 */
export async function exportHosts(target: ApiTarget, options: ExportOptions): Promise<ExitCode> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options.filter)) if (value !== undefined) query.set(name, value);
  const response = await callApi(target, {
    method: "GET",
    path: `/api/v1/hosts/export.${options.format}`,
    query,
    scope: "read",
  });
  if (response.status !== 200) {
    const problem = await readProblem(response);
    options.log(`export refused: ${describeProblem(problem)}`);
    for (const error of problem.errors ?? []) options.log(`  ${error.field}: ${error.message}`);
    return EXIT.rejected;
  }
  if (!response.body) throw new CliError("the API answered the export with no body", EXIT.failed);

  const destination = path.resolve(options.baseDir, options.out);
  const partial = `${destination}.part`;
  const rows = response.headers.get(EXPORT_TOTAL_HEADER);
  const progress = createProgress({
    label: `exporting ${rows === null ? "hosts" : plural(Number(rows), "host")}`,
    total: 0,
    format: (bytes) => `${formatBytes(bytes)} written`,
    plainIntervalMs: 2000,
  });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      progress.update(bytes);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(partial),
    );
  } catch (error) {
    progress.stop();
    await rm(partial, { force: true });
    throw new CliError(
      `export cut short after ${formatBytes(bytes)}: ${(error as Error).message}`,
      EXIT.failed,
    );
  }
  progress.stop();
  await rename(partial, destination);
  options.log(
    `wrote ${options.out} (${formatBytes(bytes)}${rows === null ? "" : `, ${plural(Number(rows), "host")}`})`,
  );
  return EXIT.ok;
}
