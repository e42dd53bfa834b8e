import type { TokenScope } from "@certfleet/contracts";

/** "MG-DMZ, MG-EDGE" → ["MG-DMZ", "MG-EDGE"]: commas, semicolons or new lines separate entries. */
export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function scopeFromText(groups: string, suffixes: string): TokenScope {
  return { managementGroups: splitList(groups), fqdnSuffixes: splitList(suffixes) };
}

export function isFleetWide(scope: TokenScope): boolean {
  return scope.managementGroups.length === 0 && scope.fqdnSuffixes.length === 0;
}

/** How the scope reads in a table cell. */
export function describeScope(scope: TokenScope): string {
  if (isFleetWide(scope)) return "Fleet-wide";
  const parts = [];
  if (scope.managementGroups.length > 0) parts.push(`groups ${scope.managementGroups.join(", ")}`);
  if (scope.fqdnSuffixes.length > 0) parts.push(`hosts ending ${scope.fqdnSuffixes.join(", ")}`);
  return parts.join("; ");
}
