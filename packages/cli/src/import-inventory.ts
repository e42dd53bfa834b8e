import { Buffer } from "node:buffer";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import {
  INVENTORY_BODY_LIMIT,
  INVENTORY_MAX_SOURCES,
  INVENTORY_SOURCE_MAX_CHARS,
  type InventoryImportResult,
} from "@certfleet/contracts";
import { type ApiTarget, callApi, describeProblem, readProblem } from "./api-client";
import { CliError, EXIT, type ExitCode } from "./exit-codes";
import { plural } from "./progress";

// Limits of POST /api/v1/inventory (the contract's), checked here so a too-big import fails before upload.
// The contract counts a CSV's characters; its bytes are at least that, so a byte check never lets one past.
const MAX_INVENTORY_SOURCES = INVENTORY_MAX_SOURCES;
const MAX_INVENTORY_CSV_BYTES = INVENTORY_SOURCE_MAX_CHARS;
const MAX_INVENTORY_BODY_BYTES = INVENTORY_BODY_LIMIT;

export interface ImportOptions {
  baseDir: string;
  dryRun: boolean;
  out: (line: string) => void;
}

/** `certfleet import-inventory`: the CSVs as one snapshot import (or its preview); answers the exit code. */
export async function importInventory(
  target: ApiTarget,
  csvPaths: string[],
  options: ImportOptions,
): Promise<ExitCode> {
  if (csvPaths.length > MAX_INVENTORY_SOURCES)
    throw new CliError(
      `at most ${MAX_INVENTORY_SOURCES} CSV files per import; got ${csvPaths.length}`,
      EXIT.usage,
    );
  const sources = await Promise.all(csvPaths.map((csvPath) => readSource(csvPath, options.baseDir)));
  const body = JSON.stringify({
    sources: sources.map(({ name, csv }) => ({ name, csv })),
    dryRun: options.dryRun,
  });
  if (Buffer.byteLength(body) > MAX_INVENTORY_BODY_BYTES)
    throw new CliError(
      "the CSV files together are over the API's 16 MiB limit: import them in parts",
      EXIT.usage,
    );

  const response = await callApi(target, {
    method: "POST",
    path: "/api/v1/inventory",
    body,
    scope: "inventory",
  });
  if (response.status === 200) {
    const result = (await response.json()) as InventoryImportResult;
    printResult(options.out, result);
    // The contract answers bad rows with 422; errors on a 200 would still be errors to act on.
    for (const error of result.errors ?? [])
      options.out(`  ${inFile(error.field, sources)}: ${error.message}`);
    return result.errors?.length ? EXIT.rejected : EXIT.ok;
  }
  const problem = await readProblem(response);
  // With row errors the detail only summarises them: the rows themselves follow.
  const said = problem.errors?.length ? `${problem.status} ${problem.title}` : describeProblem(problem);
  options.out(`import refused: ${said}`);
  for (const error of problem.errors ?? [])
    options.out(`  ${inFile(error.field, sources)}: ${error.message}`);
  options.out("nothing was imported");
  return EXIT.rejected;
}

async function readSource(
  csvPath: string,
  baseDir: string,
): Promise<{ name: string; shown: string; csv: string }> {
  const absolute = path.resolve(baseDir, csvPath);
  const info = await stat(absolute).catch(() => null);
  if (!info?.isFile()) throw new CliError(`${csvPath}: no such file`, EXIT.rejected);
  if (info.size > MAX_INVENTORY_CSV_BYTES)
    throw new CliError(`${csvPath}: over the API's 8 MiB limit for one CSV; split it`, EXIT.usage);
  // Export-Csv in Windows PowerShell 5.1 writes a byte order mark: it is not part of the first column's name.
  const csv = (await readFile(absolute, "utf8")).replace(/^\uFEFF/, "");
  return { name: path.basename(absolute), shown: csvPath, csv };
}

/** `sources[1].csv line 4 column role` → `gateways.csv line 4 column role`: the file the user named. */
export function inFile(field: string, sources: { shown: string }[]): string {
  return field.replace(
    /^sources\[(\d+)\](?:\.csv)?/,
    (whole, index: string) => sources[Number(index)]?.shown ?? whole,
  );
}

function printResult(out: (line: string) => void, result: InventoryImportResult): void {
  out(result.dryRun ? "dry run: nothing was written; this is what the import would do" : "imported");
  out(
    `  added ${count(result.added)}, updated ${count(result.updated)}, unchanged ${count(result.unchanged)}, ` +
      `retired ${count(result.retired)}, restored ${count(result.restored)}`,
  );
  if (result.byManagementGroup.length > 0) {
    const width = Math.max(16, ...result.byManagementGroup.map((group) => group.managementGroup.length));
    out(
      `  ${"management group".padEnd(width)}  ${"added".padStart(7)}  ${"retired".padStart(7)}  ${"total".padStart(7)}`,
    );
    for (const group of result.byManagementGroup) {
      out(
        `  ${group.managementGroup.padEnd(width)}  ${count(group.added).padStart(7)}  ` +
          `${count(group.retired).padStart(7)}  ${count(group.total).padStart(7)}`,
      );
    }
  }
  if (result.retiredHosts.length > 0) {
    const more = result.retired - result.retiredHosts.length;
    out(
      `  ${result.dryRun ? "would retire" : "retired"}: ${result.retiredHosts.join(", ")}${more > 0 ? ` and ${plural(more, "more host")}` : ""}`,
    );
  }
}

/** 2310 → "2,310": estates run to hundreds of thousands of hosts. */
function count(value: number): string {
  return value.toLocaleString("en-US");
}
