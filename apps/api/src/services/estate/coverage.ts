import type { Count, Coverage, HostFilter } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import { type EstateClock, expectedSql, filterQuery, reportingSql } from "./filters";

interface CoverageRow {
  managementGroup: string | null;
  expected: number;
  reporting: number;
  silent: number;
  never: number;
  retired: number;
}

/** The list filter of retired hosts (the inventory import's `retired=true`, outside HostFilter's default view). */
const RETIRED_QUERY = "retired=true";

/**
 * Inventory coverage for the overview: one GROUP BY scan of Host with FILTER clauses (no query per
 * group), counted with the host list's own SQL fragments so each number equals the list it links to.
 * Its own statement, not columns of the summary's other scans: those leave retired hosts out, and
 * this one counts them.
 */
export async function estateCoverage(db: Database, clock: EstateClock): Promise<Coverage> {
  const rows = await db.$queryRaw<CoverageRow[]>`
    SELECT mg.name AS "managementGroup",
      count(*) FILTER (WHERE ${expectedSql})::int AS expected,
      count(*) FILTER (WHERE ${expectedSql} AND ${reportingSql("reporting", clock)})::int AS reporting,
      count(*) FILTER (WHERE ${expectedSql} AND ${reportingSql("silent", clock)})::int AS silent,
      count(*) FILTER (WHERE ${expectedSql} AND ${reportingSql("never", clock)})::int AS never,
      count(*) FILTER (WHERE h."retiredAt" IS NOT NULL)::int AS retired
    FROM "Host" h LEFT JOIN "ManagementGroup" mg ON mg.id = h."managementGroupId"
    WHERE h."expected" OR h."retiredAt" IS NOT NULL
    GROUP BY 1 ORDER BY 1 NULLS LAST`;
  const sum = (pick: (row: CoverageRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const expectedCount = (n: number, filter: HostFilter): Count => ({
    key: filter.reporting ?? "expected",
    count: n,
    query: filterQuery({ ...filter, expected: "true" }),
  });
  return {
    expected: expectedCount(
      sum((row) => row.expected),
      {},
    ),
    reporting: expectedCount(
      sum((row) => row.reporting),
      { reporting: "reporting" },
    ),
    silent: expectedCount(
      sum((row) => row.silent),
      { reporting: "silent" },
    ),
    neverReported: expectedCount(
      sum((row) => row.never),
      { reporting: "never" },
    ),
    retired: { key: "retired", count: sum((row) => row.retired), query: RETIRED_QUERY },
    byManagementGroup: rows
      .filter((row) => row.expected > 0)
      .map((row) => {
        const group: HostFilter = { managementGroup: row.managementGroup ?? "" };
        return {
          managementGroup: row.managementGroup,
          expected: expectedCount(row.expected, group),
          reporting: expectedCount(row.reporting, { ...group, reporting: "reporting" }),
          silent: expectedCount(row.silent, { ...group, reporting: "silent" }),
          neverReported: expectedCount(row.never, { ...group, reporting: "never" }),
        };
      }),
  };
}
