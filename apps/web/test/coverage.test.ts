import type { Count, Coverage } from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import { coverageGroups, coverageHref, coverageTotals, reportingShare } from "../src/lib/coverage";
import { parseHostQuery, toggleExpected } from "../src/lib/host-query";

const count = (key: string, n: number, query: string): Count => ({ key, count: n, query });

// What GET /api/v1/summary answers (apps/api/test/coverage.test.ts checks the counts against the list).
const COVERAGE: Coverage = {
  expected: count("expected", 7, "expected=true"),
  reporting: count("reporting", 4, "reporting=reporting&expected=true"),
  silent: count("silent", 1, "reporting=silent&expected=true"),
  neverReported: count("never", 2, "reporting=never&expected=true"),
  retired: count("retired", 1, "retired=true"),
  byManagementGroup: [
    {
      managementGroup: "MG-PROD",
      expected: count("expected", 6, "managementGroup=MG-PROD&expected=true"),
      reporting: count("reporting", 4, "managementGroup=MG-PROD&reporting=reporting&expected=true"),
      silent: count("silent", 1, "managementGroup=MG-PROD&reporting=silent&expected=true"),
      neverReported: count("never", 1, "managementGroup=MG-PROD&reporting=never&expected=true"),
    },
    {
      managementGroup: null,
      expected: count("expected", 1, "managementGroup=&expected=true"),
      reporting: count("reporting", 0, "managementGroup=&reporting=reporting&expected=true"),
      silent: count("silent", 0, "managementGroup=&reporting=silent&expected=true"),
      neverReported: count("never", 1, "managementGroup=&reporting=never&expected=true"),
    },
  ],
};

describe("overview coverage panel", () => {
  it("links every expected/reporting number to the host list with exactly the summary's filter", () => {
    const totals = coverageTotals(COVERAGE);
    expect(totals.map((cell) => [cell.key, cell.count, cell.href])).toEqual([
      ["expected", 7, "/hosts?expected=true"],
      ["reporting", 4, "/hosts?reporting=reporting&expected=true"],
      ["silent", 1, "/hosts?reporting=silent&expected=true"],
      ["neverReported", 2, "/hosts?reporting=never&expected=true"],
      ["retired", 1, "/hosts?retired=true"],
    ]);
    // The host list reads those URLs back without dropping anything.
    for (const cell of totals.filter((c) => c.href))
      expect(parseHostQuery(new URL(`http://x${cell.href}`).searchParams).ignored).toEqual([]);
  });

  it("gives no link to a filter the host list does not take, rather than a list of other hosts", () => {
    expect(coverageHref("retired=true")).toBe("/hosts?retired=true");
    expect(coverageHref("retired=true&vanished=1")).toBeNull();
    expect(coverageHref("managementGroup=MG-PROD&reporting=silent&expected=true")).toBe(
      "/hosts?managementGroup=MG-PROD&reporting=silent&expected=true",
    );
  });

  it("has one row per management group, hosts without one labelled and linked with an empty group", () => {
    const rows = coverageGroups(COVERAGE);
    expect(rows.map((row) => row.label)).toEqual(["MG-PROD", "No management group"]);
    expect(rows[1]?.cells.map((cell) => [cell.key, cell.count, cell.href])).toEqual([
      ["expected", 1, "/hosts?managementGroup=&expected=true"],
      ["reporting", 0, "/hosts?managementGroup=&reporting=reporting&expected=true"],
      ["silent", 0, "/hosts?managementGroup=&reporting=silent&expected=true"],
      ["neverReported", 1, "/hosts?managementGroup=&reporting=never&expected=true"],
    ]);
  });

  it("states the reporting share of expected hosts, and none when nothing is expected", () => {
    expect(reportingShare(COVERAGE)).toBe(57);
    expect(reportingShare({ ...COVERAGE, expected: count("expected", 0, "expected=true") })).toBeNull();
  });
});

describe("host list expected filter", () => {
  it("accepts expected=true or false and nothing else", () => {
    expect(parseHostQuery(new URLSearchParams("expected=true&reporting=never")).params).toEqual({
      reporting: "never",
      expected: "true",
    });
    expect(parseHostQuery(new URLSearchParams("expected=yes")).ignored).toEqual(["expected=yes"]);
  });

  it("toggles one value at a time: choosing the other replaces it, choosing it again clears it", () => {
    let params = toggleExpected({ sort: "fqdn" }, "true");
    expect(params).toEqual({ expected: "true", sort: "fqdn" });
    params = toggleExpected(params, "false");
    expect(params).toEqual({ expected: "false", sort: "fqdn" });
    expect(toggleExpected(params, "false")).toEqual({ sort: "fqdn" });
  });
});
