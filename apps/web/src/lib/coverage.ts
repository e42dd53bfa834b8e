import type { Count, Coverage } from "@certfleet/contracts";
import { hostsHref, parseHostQuery } from "./host-query";

/** One coverage number and where it leads: the host list that reproduces it, or nowhere. */
export interface CoverageCell {
  key: string;
  label: string;
  count: number;
  /** null when the host list cannot show these hosts (a filter it does not understand yet). */
  href: string | null;
}

export interface CoverageGroupRow {
  key: string;
  label: string;
  cells: CoverageCell[];
}

const STATES = [
  ["expected", "Expected"],
  ["reporting", "Reporting"],
  ["silent", "Silent"],
  ["neverReported", "Never reported"],
] as const;

/**
 * A link only for a query the host list takes as a whole: a number must never open a list that
 * silently dropped part of its filter (`retired=true` until the list learns it) and shows other hosts.
 */
export function coverageHref(query: string): string | null {
  return parseHostQuery(new URLSearchParams(query)).ignored.length === 0 ? hostsHref(query) : null;
}

const cell = (key: string, label: string, count: Count): CoverageCell => ({
  key,
  label,
  count: count.count,
  href: coverageHref(count.query),
});

/** The panel's headline numbers: expected, by reporting state, and retired apart. */
export function coverageTotals(coverage: Coverage): CoverageCell[] {
  return [
    ...STATES.map(([key, label]) => cell(key, label, coverage[key])),
    cell("retired", "Retired", coverage.retired),
  ];
}

/** One row per management group with expected hosts; the API's order (by name, no group last). */
export function coverageGroups(coverage: Coverage): CoverageGroupRow[] {
  return coverage.byManagementGroup.map((group) => ({
    key: group.managementGroup ?? "",
    label: group.managementGroup ?? "No management group",
    cells: STATES.map(([key, label]) => cell(key, label, group[key])),
  }));
}

/** Share of expected hosts that report, as a whole percentage (null when nothing is expected). */
export function reportingShare(coverage: Coverage): number | null {
  const expected = coverage.expected.count;
  return expected > 0 ? Math.floor((coverage.reporting.count / expected) * 100) : null;
}
