import type { ComplianceDiffEntry, ComplianceHostState, ComplianceRow } from "@certfleet/contracts";
import { compareCodePoints } from "./canonical";

export type ComplianceChange = "better" | "worse" | "unchanged";

/** A host never reported (status null) ranks between ok and warning: unknown is not compliant. */
const STATUS_RANK = { ok: 0, none: 1, warning: 2, error: 3 } as const;

/** What the comparison reads of a row. */
export type ComparedRow = Pick<ComplianceRow, "status" | "expiry"> & {
  findings: readonly Pick<ComplianceRow["findings"][number], "severity">[];
};

/** What the comparison needs of a row. */
export function complianceHostState(row: ComparedRow): ComplianceHostState {
  let errors = 0;
  let warnings = 0;
  for (const finding of row.findings) {
    if (finding.severity === "error") errors += 1;
    else if (finding.severity === "warning") warnings += 1;
  }
  return { status: row.status, errors, warnings, expiry: row.expiry };
}

/**
 * How one host changed: by status (error > warning > never reported > ok); for equal status,
 * fewer error findings is better, then fewer warnings. Anything else is unchanged.
 */
export function compareComplianceStates(
  from: ComplianceHostState,
  to: ComplianceHostState,
): ComplianceChange {
  const rank = STATUS_RANK[to.status ?? "none"] - STATUS_RANK[from.status ?? "none"];
  const difference = rank || to.errors - from.errors || to.warnings - from.warnings;
  if (difference < 0) return "better";
  if (difference > 0) return "worse";
  return "unchanged";
}

export interface ComplianceRowsDiff {
  better: ComplianceDiffEntry[];
  worse: ComplianceDiffEntry[];
  new: ComplianceDiffEntry[];
  gone: ComplianceDiffEntry[];
  unchanged: number;
  counts: { better: number; worse: number; new: number; gone: number; unchanged: number };
}

export interface StateByFqdn {
  fqdn: string;
  state: ComplianceHostState;
}

/**
 * Compares two reports host by host. Inputs in any order; each list keeps at most `listLimit`
 * hosts (in fqdn order) while the counts stay complete, so a 200,000-host comparison stays small.
 */
export function diffComplianceRows(
  from: readonly StateByFqdn[],
  to: readonly StateByFqdn[],
  listLimit = Number.POSITIVE_INFINITY,
): ComplianceRowsDiff {
  const result: ComplianceRowsDiff = {
    better: [],
    worse: [],
    new: [],
    gone: [],
    unchanged: 0,
    counts: { better: 0, worse: 0, new: 0, gone: 0, unchanged: 0 },
  };
  const add = (category: "better" | "worse" | "new" | "gone", entry: ComplianceDiffEntry) => {
    result.counts[category] += 1;
    if (result[category].length < listLimit) result[category].push(entry);
  };
  const before = new Map(from.map((row) => [row.fqdn, row.state]));
  const fqdns = [...new Set([...before.keys(), ...to.map((row) => row.fqdn)])].sort(compareCodePoints);
  const after = new Map(to.map((row) => [row.fqdn, row.state]));
  for (const fqdn of fqdns) {
    const old = before.get(fqdn) ?? null;
    const current = after.get(fqdn) ?? null;
    if (!old && current) add("new", { fqdn, from: null, to: current });
    else if (old && !current) add("gone", { fqdn, from: old, to: null });
    else if (old && current) {
      const change = compareComplianceStates(old, current);
      if (change === "unchanged") result.counts.unchanged += 1;
      else add(change, { fqdn, from: old, to: current });
    }
  }
  result.unchanged = result.counts.unchanged;
  return result;
}
