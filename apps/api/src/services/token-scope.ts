import type { Report } from "@certfleet/contracts";
import { reportedManagementGroupNames } from "@certfleet/core";
import { type FieldError, ProblemError } from "../problem";
import type { IngestToken, TokenScope } from "./ingest-context";

/**
 * Collector token scopes: a token limited to some management groups and/or FQDN suffixes may only report
 * hosts inside them. Checked before anything is written, so a report outside the scope changes nothing.
 */

export const MAX_SCOPE_ENTRIES = 100;

const DNS_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** The host name as ingest stores it (lower case, no trailing dot). */
function hostName(fqdn: string): string {
  return fqdn.trim().toLowerCase().replace(/\.$/, "");
}

export function isFleetWide(scope: TokenScope | undefined): boolean {
  return !scope || (scope.managementGroups.length === 0 && scope.fqdnSuffixes.length === 0);
}

/** 403 naming each field that falls outside the token's scope; nothing for a fleet-wide token. */
export function assertReportInScope(token: IngestToken | null, report: Report): void {
  const scope = token?.scope;
  if (!token || !scope || isFleetWide(scope)) return;
  const errors: FieldError[] = [];
  if (scope.managementGroups.length > 0) {
    // A multi-homed host (contract 1.1) is in scope only when every group it names is: the token may not
    // speak for a host that also belongs to a group outside it.
    const groups = reportedManagementGroupNames(report.host);
    const allowed = new Set(scope.managementGroups.map((name) => name.toLowerCase()));
    const outside = groups.filter((name) => !allowed.has(name.trim().toLowerCase()));
    if (groups.length === 0 || outside.length > 0) {
      errors.push({
        field:
          report.host.managementGroup || groups.length === 0
            ? "host.managementGroup"
            : "host.managementGroups",
        message: `${groups.length === 0 ? "is not set" : `${outside.map((name) => `"${name}"`).join(", ")} ${outside.length === 1 ? "is" : "are"} not`}; token "${token.name}" may report management groups ${scope.managementGroups.map((name) => `"${name}"`).join(", ")} only`,
      });
    }
  }
  if (scope.fqdnSuffixes.length > 0) {
    const fqdn = hostName(report.host.fqdn);
    if (!scope.fqdnSuffixes.some((suffix) => fqdn.endsWith(suffix))) {
      errors.push({
        field: "host.fqdn",
        message: `"${fqdn}" is outside the scope of token "${token.name}", which may report hosts ending in ${scope.fqdnSuffixes.map((suffix) => `"${suffix}"`).join(", ")} only`,
      });
    }
  }
  if (errors.length === 0) return;
  throw new ProblemError(
    403,
    "Report outside the collector token's scope",
    `${errors[0]?.field} ${errors[0]?.message}`,
    errors,
  );
}

/**
 * An admin's scope input, checked and normalised: group names trimmed and de-duplicated (case-insensitive),
 * suffixes lower case with one leading dot. 422 naming the entry on anything else.
 */
export function normaliseScope(input: { managementGroups?: string[]; fqdnSuffixes?: string[] }): TokenScope {
  const errors: FieldError[] = [];
  const groups = new Map<string, string>();
  (input.managementGroups ?? []).forEach((raw, index) => {
    const name = raw.trim();
    if (name.length === 0 || name.length > 128) {
      errors.push({ field: `scope.managementGroups[${index}]`, message: "must be 1 to 128 characters" });
      return;
    }
    if (!groups.has(name.toLowerCase())) groups.set(name.toLowerCase(), name);
  });
  const suffixes = new Set<string>();
  (input.fqdnSuffixes ?? []).forEach((raw, index) => {
    const suffix = `.${raw
      .trim()
      .toLowerCase()
      .replace(/^\*?\.+/, "")
      .replace(/\.$/, "")}`;
    const labels = suffix.slice(1).split(".");
    if (suffix.length > 254 || suffix === "." || !labels.every((label) => DNS_LABEL.test(label))) {
      errors.push({
        field: `scope.fqdnSuffixes[${index}]`,
        message: `"${raw}" is not a DNS suffix such as ".dmz.contoso.com"`,
      });
      return;
    }
    suffixes.add(suffix);
  });
  if (groups.size > MAX_SCOPE_ENTRIES)
    errors.push({
      field: "scope.managementGroups",
      message: `must list at most ${MAX_SCOPE_ENTRIES} groups`,
    });
  if (suffixes.size > MAX_SCOPE_ENTRIES)
    errors.push({ field: "scope.fqdnSuffixes", message: `must list at most ${MAX_SCOPE_ENTRIES} suffixes` });
  if (errors.length > 0)
    throw new ProblemError(422, "Invalid token scope", `${errors[0]?.field} ${errors[0]?.message}`, errors);
  return {
    managementGroups: [...groups.values()].sort((a, b) => a.localeCompare(b)),
    fqdnSuffixes: [...suffixes].sort(),
  };
}
