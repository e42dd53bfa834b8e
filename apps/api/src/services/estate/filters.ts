import type {
  AUTHENTICATION_FILTER_VALUES,
  ExpiryFilter,
  HostFilter,
  ReportingState,
} from "@certfleet/contracts";
import { type ExpiryBucket, expiryBucketBounds } from "@certfleet/core";
import { Prisma } from "@certfleet/db";

/** When "now" is and what "silent" means, fixed once per request so every number agrees. */
export interface EstateClock {
  now: Date;
  silentAfterHours: number;
}

export function silentCutoff(clock: EstateClock): Date {
  return new Date(clock.now.getTime() - clock.silentAfterHours * 3_600_000);
}

const split = <T extends string>(value: string | undefined): T[] | undefined =>
  value === undefined ? undefined : (value.split(",") as T[]);

/**
 * The host list's WHERE clause (alias h). The summary counts with the same fragments, which is
 * what makes every overview number equal the length of the list it links to.
 */
export function hostFilterSql(filter: HostFilter, clock: EstateClock): Prisma.Sql {
  // Hosts an inventory import retired are out of every list and export unless asked for.
  const conditions: Prisma.Sql[] = [retiredSql(filter.retired === "true")];
  const statuses = split(filter.status);
  // Compared as the enum (not ::text) so the (status, id) index applies.
  if (statuses) conditions.push(Prisma.sql`h."status" = ANY(${statuses}::"HostStatus"[])`);
  const roles = split(filter.role);
  if (roles) conditions.push(Prisma.sql`h."role" = ANY(${roles}::"HostRole"[])`);
  if (filter.managementGroup !== undefined) conditions.push(managementGroupSql(filter.managementGroup));
  if (filter.rule) conditions.push(ruleSql(filter.rule, split(filter.findingSeverity)));
  const buckets = split<ExpiryFilter>(filter.expiry);
  if (buckets) conditions.push(anyOf(buckets.map((bucket) => expirySql(bucket, clock.now))));
  if (filter.expiresWithinDays !== undefined)
    conditions.push(expiresWithinSql(filter.expiresWithinDays, clock.now));
  const reporting = split<ReportingState>(filter.reporting);
  if (reporting) conditions.push(anyOf(reporting.map((state) => reportingSql(state, clock))));
  const authentication = split<AuthenticationFilter>(filter.authentication);
  if (authentication) conditions.push(anyOf(authentication.map(authenticationSql)));
  if (filter.q) conditions.push(Prisma.sql`h."fqdn" LIKE ${`%${escapeLike(filter.q.toLowerCase())}%`}`);
  if (filter.expected)
    conditions.push(filter.expected === "true" ? expectedSql : Prisma.sql`NOT ${expectedSql}`);
  return Prisma.join(conditions, " AND ");
}

/** Retired hosts (alias h) when `retired`; otherwise the live ones, which is what every count counts. */
export function retiredSql(retired = false): Prisma.Sql {
  return retired ? Prisma.sql`h."retiredAt" IS NOT NULL` : Prisma.sql`h."retiredAt" IS NULL`;
}

function anyOf(conditions: Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`(${Prisma.join(conditions, " OR ")})`;
}

function managementGroupSql(name: string): Prisma.Sql {
  if (name === "") return Prisma.sql`h."managementGroupId" IS NULL`;
  return Prisma.sql`h."managementGroupId" = (SELECT id FROM "ManagementGroup" WHERE name = ${name})`;
}

function ruleSql(ruleId: string, severities: string[] | undefined): Prisma.Sql {
  const severity = severities
    ? Prisma.sql` AND f."severity" = ANY(${severities}::"Severity"[])`
    : Prisma.empty;
  return Prisma.sql`EXISTS (SELECT 1 FROM "HostFinding" f WHERE f."hostId" = h.id AND f."ruleId" = ${ruleId}${severity})`;
}

export function expirySql(bucket: ExpiryFilter, now: Date): Prisma.Sql {
  if (bucket === "none") return Prisma.sql`h."boundNotAfter" IS NULL`;
  const { from, to } = expiryBucketBounds(bucket as ExpiryBucket, now);
  const parts: Prisma.Sql[] = [Prisma.sql`h."boundNotAfter" IS NOT NULL`];
  if (from) parts.push(Prisma.sql`h."boundNotAfter" >= ${from}`);
  if (to) parts.push(Prisma.sql`h."boundNotAfter" < ${to}`);
  return Prisma.sql`(${Prisma.join(parts, " AND ")})`;
}

function expiresWithinSql(days: number, now: Date): Prisma.Sql {
  // "At most N whole days left" and not expired, as in core's expiryBucket.
  const to = new Date(now.getTime() + (days + 1) * 86_400_000);
  return Prisma.sql`(h."boundNotAfter" >= ${now} AND h."boundNotAfter" < ${to})`;
}

type AuthenticationFilter = (typeof AUTHENTICATION_FILTER_VALUES)[number];

/** Kerberos hosts: the stored flag of the newest report's evaluation (core usesKerberos). */
export function authenticationSql(value: AuthenticationFilter): Prisma.Sql {
  return value === "kerberos" ? Prisma.sql`h."usesKerberos"` : Prisma.sql`NOT h."usesKerberos"`;
}

/**
 * Listed by an inventory and not retired by a newer import of its group: the hosts coverage counts.
 * Retired hosts are excluded here too, not only by the list default, so coverage never counts one.
 */
export const expectedSql = Prisma.sql`(h."expected" AND h."retiredAt" IS NULL)`;

export function reportingSql(state: ReportingState, clock: EstateClock): Prisma.Sql {
  if (state === "never") return Prisma.sql`h."lastReportAt" IS NULL`;
  const cutoff = silentCutoff(clock);
  return state === "silent"
    ? Prisma.sql`h."lastReportAt" < ${cutoff}`
    : Prisma.sql`h."lastReportAt" >= ${cutoff}`;
}

export function reportingState(lastReportAt: Date | null, clock: EstateClock): ReportingState {
  if (!lastReportAt) return "never";
  return lastReportAt < silentCutoff(clock) ? "silent" : "reporting";
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/** The query string that reproduces a filter on GET /api/v1/hosts (stable key order). */
export function filterQuery(filter: HostFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}
