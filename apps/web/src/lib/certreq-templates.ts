import type { TemplateOidMapping } from "@certfleet/contracts";
import { ApiError } from "./api";

/**
 * The Settings page edits the OID-to-template-name map as text, one `OID = name` per line: easy to paste
 * from `certutil -template` output or a spreadsheet. The API checks the values (422 per field); these
 * helpers only split the text and point the API's `templateNamesByOid[i]` errors back at a line.
 */

export function formatTemplateMap(mappings: readonly TemplateOidMapping[]): string {
  return mappings.map(({ oid, name }) => `${oid} = ${name}`).join("\n");
}

export interface ParsedTemplateMap {
  mappings: TemplateOidMapping[];
  /** The 1-based text line of each mapping, for error messages. */
  lines: number[];
  /** Lines that are not `OID = name` (the API never sees them). */
  errors: string[];
}

export function parseTemplateMap(text: string): ParsedTemplateMap {
  const result: ParsedTemplateMap = { mappings: [], lines: [], errors: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    const equals = line.indexOf("=");
    const oid = equals < 0 ? "" : line.slice(0, equals).trim();
    const name = equals < 0 ? "" : line.slice(equals + 1).trim();
    if (oid === "" || name === "") {
      result.errors.push(`line ${index + 1}: write it as OID = template name`);
      return;
    }
    result.mappings.push({ oid, name });
    result.lines.push(index + 1);
  });
  return result;
}

/** The API's errors for the map, each pointed at its text line ("line 3 (name): ..."). */
export function templateMapErrors(error: unknown, lines: readonly number[]): string[] {
  if (!(error instanceof ApiError)) return [];
  const messages: string[] = [];
  for (const issue of error.problem?.errors ?? []) {
    const match = /^templateNamesByOid(?:\[(\d+)\]\.(oid|name))?$/.exec(issue.field);
    if (!match) continue;
    const index = match[1] === undefined ? null : Number(match[1]);
    const line = index === null ? undefined : lines[index];
    messages.push(
      line === undefined ? `The list ${issue.message}` : `line ${line} (${match[2]}): ${issue.message}`,
    );
  }
  return messages;
}
