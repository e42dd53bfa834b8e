import type { Count, HostFilter, Summary } from "@certfleet/contracts";
import { EXPIRY_FILTER_VALUES } from "@certfleet/contracts";
import { RULE_IDS, type RuleId, ruleMeta } from "@certfleet/core";
import { type Database, Prisma } from "@certfleet/db";
import { estateCoverage } from "./coverage";
import {
  authenticationSql,
  type EstateClock,
  expirySql,
  filterQuery,
  reportingSql,
  retiredSql,
} from "./filters";

const STATUSES = ["error", "warning", "ok"] as const;
const ROLES = ["ManagementServer", "Gateway", "Agent"] as const;
const REPORTING = ["reporting", "silent", "never"] as const;
const FAILING: HostFilter["findingSeverity"] = "error,warning";

const count = (key: string | null, n: number | undefined, filter: HostFilter): Count => ({
  key,
  count: n ?? 0,
  query: filterQuery(filter),
});

/**
 * The overview's numbers. Each comes with the host-list filter that reproduces it, and is counted
 * with the very SQL fragments that filter uses (filters.ts), so a number and its list agree.
 * Expiry and reporting buckets are one scan of Host with FILTER clauses.
 */
export async function estateSummary(db: Database, clock: EstateClock): Promise<Summary> {
  const bucketColumns = EXPIRY_FILTER_VALUES.map(
    (bucket) =>
      Prisma.sql`count(*) FILTER (WHERE ${expirySql(bucket, clock.now)})::int AS ${Prisma.raw(`"expiry_${bucket}"`)}`,
  );
  const reportingColumns = REPORTING.map(
    (state) =>
      Prisma.sql`count(*) FILTER (WHERE ${reportingSql(state, clock)})::int AS ${Prisma.raw(`"reporting_${state}"`)}`,
  );
  // Retired hosts (gone from SCOM's inventory) count nowhere, as the lists these counts link to omit them.
  // Coverage counts them apart (its own query).
  const live = retiredSql();
  const [[totals], byStatus, byRole, byGroup, rules, coverage] = await Promise.all([
    db.$queryRaw<Record<string, number>[]>`
      SELECT count(*)::int AS total, ${Prisma.join([...bucketColumns, ...reportingColumns])},
        count(*) FILTER (WHERE ${authenticationSql("kerberos")})::int AS "uses_kerberos" FROM "Host" h
      WHERE ${live}`,
    db.$queryRaw<{ key: string; n: number }[]>`
      SELECT h.status::text AS key, count(*)::int AS n FROM "Host" h
      WHERE h.status IS NOT NULL AND ${live} GROUP BY 1`,
    db.$queryRaw<
      { key: string; n: number }[]
    >`SELECT h.role::text AS key, count(*)::int AS n FROM "Host" h WHERE ${live} GROUP BY 1`,
    db.$queryRaw<{ key: string | null; n: number }[]>`
      SELECT mg.name AS key, count(*)::int AS n FROM "Host" h
      LEFT JOIN "ManagementGroup" mg ON mg.id = h."managementGroupId" WHERE ${live}
      GROUP BY 1 ORDER BY 1 NULLS LAST`,
    db.$queryRaw<{ key: string; n: number }[]>`
      SELECT f."ruleId" AS key, count(DISTINCT f."hostId")::int AS n FROM "HostFinding" f
      JOIN "Host" h ON h.id = f."hostId"
      WHERE f.severity IN ('error', 'warning') AND ${live} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
    estateCoverage(db, clock),
  ]);
  const lookup = (rows: { key: string | null; n: number }[], key: string) =>
    rows.find((row) => row.key === key)?.n;

  return {
    generatedAt: clock.now.toISOString(),
    silentAfterHours: clock.silentAfterHours,
    total: count(null, totals?.total, {}),
    byStatus: STATUSES.map((status) => count(status, lookup(byStatus, status), { status })),
    byRole: ROLES.map((role) => count(role, lookup(byRole, role), { role })),
    byManagementGroup: byGroup.map((row) => count(row.key, row.n, { managementGroup: row.key ?? "" })),
    expiry: EXPIRY_FILTER_VALUES.map((bucket) =>
      count(bucket, totals?.[`expiry_${bucket}`], { expiry: bucket }),
    ),
    reporting: REPORTING.map((state) => count(state, totals?.[`reporting_${state}`], { reporting: state })),
    usesKerberos: count("kerberos", totals?.uses_kerberos, { authentication: "kerberos" }),
    topFailingRules: rules.map((row) => ({
      ...count(row.key, row.n, { rule: row.key, findingSeverity: FAILING }),
      title: isRuleId(row.key) ? ruleMeta(row.key).title : row.key,
    })),
    coverage,
  };
}

function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
