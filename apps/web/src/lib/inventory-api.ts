import {
  INVENTORY_BODY_LIMIT,
  INVENTORY_MAX_SOURCES,
  INVENTORY_SOURCE_MAX_CHARS,
  type InventoryImport,
  type InventoryImportResult,
  type InventorySource,
} from "@certfleet/contracts";
import type { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api";
import { hostKeys, summaryKeys } from "./query-keys";
import type { SendMethod } from "./send";

/**
 * POST /api/v1/inventory: SCOM exports or `fqdn,role,managementGroup` CSVs, previewed with dryRun=true,
 * then imported. Request, answer and limits are the contract's (@certfleet/contracts inventory.ts).
 */
export type InventoryRequest = InventoryImport;
export type InventoryOutcome = InventoryImportResult;
export { INVENTORY_MAX_SOURCES };
/** The contract limits characters; a file's bytes are at least that, so checking bytes never lets one past. */
export const INVENTORY_MAX_SOURCE_BYTES = INVENTORY_SOURCE_MAX_CHARS;
export const INVENTORY_MAX_BODY_BYTES = INVENTORY_BODY_LIMIT;

const MIB = 1024 * 1024;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** Why these sources cannot be sent as they are (empty: they can). */
export function inventorySourceProblems(sources: InventorySource[]): string[] {
  const problems: string[] = [];
  if (sources.length === 0) problems.push("Choose at least one CSV file.");
  if (sources.length > INVENTORY_MAX_SOURCES)
    problems.push(`Choose at most ${INVENTORY_MAX_SOURCES} files at once (${sources.length} chosen).`);
  for (const source of sources) {
    const bytes = utf8Length(source.csv);
    if (bytes > INVENTORY_MAX_SOURCE_BYTES)
      problems.push(`${source.name} is ${(bytes / MIB).toFixed(1)} MiB; one file may be at most 8 MiB.`);
    if (source.csv.trim() === "") problems.push(`${source.name} is empty.`);
  }
  const body = utf8Length(JSON.stringify({ sources, dryRun: true }));
  if (body > INVENTORY_MAX_BODY_BYTES)
    problems.push(`Together the files are ${(body / MIB).toFixed(1)} MiB; at most 16 MiB go in one import.`);
  return problems;
}

type Send = <T>(path: string, method: SendMethod, body?: unknown) => Promise<T>;

export function postInventory(send: Send, sources: InventorySource[], dryRun: boolean) {
  const body: InventoryRequest = { sources, dryRun };
  return send<InventoryOutcome>("/api/v1/inventory", "POST", body);
}

/** An import changes which hosts are expected or retired: every host list and the overview read again. */
export function afterInventoryImport(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: summaryKeys.all }),
    queryClient.invalidateQueries({ queryKey: hostKeys.all }),
  ]);
}

export interface SourceErrors {
  /** The file's name, or null for errors about the request as a whole. */
  source: string | null;
  messages: string[];
}

/**
 * A 422's `errors[]` grouped by file: the API names each as `sources[i].csv line N column X`, and
 * the person fixing it needs the file's name, not its index.
 */
export function inventoryErrorsBySource(error: unknown, sources: InventorySource[]): SourceErrors[] {
  if (!(error instanceof ApiError) || !error.problem?.errors) return [];
  const groups = new Map<string | null, string[]>();
  for (const issue of error.problem.errors) {
    const match = /^sources\[(\d+)\](?:\.csv)?\s*(.*)$/.exec(issue.field);
    const source = match ? (sources[Number(match[1])]?.name ?? `file ${Number(match[1]) + 1}`) : null;
    const where = match ? match[2]?.trim() : issue.field;
    const message = where ? `${where}: ${issue.message}` : issue.message;
    groups.set(source, [...(groups.get(source) ?? []), message]);
  }
  return [...groups].map(([source, messages]) => ({ source, messages }));
}

/** An entry of a 200 answer's `errors[]`: its text. */
export function describeOutcomeError(entry: InventoryImportResult["errors"][number]): string {
  return `${entry.field}: ${entry.message}`;
}
