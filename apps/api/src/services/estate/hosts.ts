import type { HostListItem, HostListQuery, HostPage } from "@certfleet/contracts";
import { certificateAuthRequirement, daysUntil, expiryBucket } from "@certfleet/core";
import { type Database, Prisma } from "@certfleet/db";
import { ProblemError } from "../../problem";
import { type EstateClock, hostFilterSql, reportingState } from "./filters";

type Sort = NonNullable<HostListQuery["sort"]>;
type Order = "asc" | "desc";

/** Sort key column per sort; each has a (column, id) index. fqdn is unique, so id only breaks no ties. */
const SORT_COLUMNS: Record<Sort, { column: Prisma.Sql; cast: string; defaultOrder: Order }> = {
  expiry: { column: Prisma.raw(`h."boundNotAfter"`), cast: "timestamp", defaultOrder: "asc" },
  fqdn: { column: Prisma.raw(`h."fqdn"`), cast: "text", defaultOrder: "asc" },
  status: { column: Prisma.raw(`h."status"`), cast: `"HostStatus"`, defaultOrder: "desc" },
  lastReport: { column: Prisma.raw(`h."lastReportAt"`), cast: "timestamp", defaultOrder: "asc" },
};

interface Cursor {
  /** The sort key of the last row (ISO string for dates), null when that row had none. */
  k: string | null;
  id: number;
  /** The total counted for the first page: counting 200k rows costs ~100 ms, a page ~5 ms. */
  t: number;
}

interface HostRow {
  id: number;
  fqdn: string;
  role: HostListItem["role"];
  managementGroup: string | null;
  status: HostListItem["status"];
  expected: boolean;
  lastReportAt: Date | null;
  domainJoined: boolean;
  certificateAuthSetting: boolean | null;
  groupCertificateAuthRequired: boolean | null;
  usesKerberos: boolean;
  boundCertificateSha256: string | null;
  boundNotAfter: Date | null;
  serialNumber: string | null;
  errors: number;
  warnings: number;
  infos: number;
  worstRuleId: string | null;
  worstSeverity: "error" | "warning" | "info" | null;
  worstMessage: string | null;
  sortKey: Date | string | null;
}

/**
 * One page of hosts by keyset (never OFFSET): rows after the cursor in (sort key, id) order.
 * Postgres' btree order puts NULLs (no certificate, never reported) last ascending and first
 * descending; the cursor predicate follows the same rule, so no row is lost or repeated while
 * reports keep arriving.
 */
export async function listHosts(db: Database, query: HostListQuery, clock: EstateClock): Promise<HostPage> {
  const sort = query.sort ?? "expiry";
  const { column, cast, defaultOrder } = SORT_COLUMNS[sort];
  const order = query.order ?? defaultOrder;
  const limit = query.limit ?? 50;
  const where = hostFilterSql(query, clock);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const after = cursor ? keysetSql(column, cast, order, cursor) : Prisma.sql`TRUE`;
  const direction = Prisma.raw(order === "asc" ? "ASC" : "DESC");

  const pageHosts = Prisma.sql`
    SELECT h.*, ${column} AS "sortKey" FROM "Host" h
    WHERE ${where} AND ${after}
    ORDER BY ${column} ${direction}, h.id ${direction}
    LIMIT ${limit + 1}`;
  const [rows, total] = await Promise.all([
    selectHostRows(db, pageHosts, Prisma.sql`ORDER BY h."sortKey" ${direction}, h.id ${direction}`),
    cursor ? cursor.t : countHosts(db, where),
  ]);

  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ k: sortKeyText(last.sortKey), id: last.id, t: total })
      : null;
  return { items: items.map((row) => toItem(row, clock)), total, nextCursor };
}

/** The list rows of these hosts (for pushed updates), in id order. */
export async function hostItemsByIds(
  db: Database,
  ids: number[],
  clock: EstateClock,
): Promise<HostListItem[]> {
  if (ids.length === 0) return [];
  const hosts = Prisma.sql`SELECT h.*, NULL AS "sortKey" FROM "Host" h WHERE h.id = ANY(${ids}::int[])`;
  const rows = await selectHostRows(db, hosts, Prisma.sql`ORDER BY h.id`);
  return rows.map((row) => toItem(row, clock));
}

/**
 * Decorates the hosts selected by `hosts` (a subquery over "Host" h with a "sortKey" column) with
 * what a list row shows. The LATERAL joins run for those rows only, never for the whole estate.
 */
function selectHostRows(db: Database, hosts: Prisma.Sql, orderBy: Prisma.Sql): Promise<HostRow[]> {
  return db.$queryRaw<HostRow[]>`
    SELECT h.id, h.fqdn, h.role, mg.name AS "managementGroup", h.status, h.expected, h."lastReportAt",
           h."domainJoined", h."certificateAuthSetting", h."usesKerberos",
           mg."certificateAuthRequired" AS "groupCertificateAuthRequired",
           h."boundCertificateSha256", h."boundNotAfter", c."serialNumber",
           fc.errors, fc.warnings, fc.infos,
           wf."ruleId" AS "worstRuleId", wf.severity AS "worstSeverity", wf.message AS "worstMessage",
           h."sortKey"
    FROM (${hosts}) h
    LEFT JOIN "ManagementGroup" mg ON mg.id = h."managementGroupId"
    LEFT JOIN "Certificate" c ON c.sha256 = h."boundCertificateSha256"
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE severity = 'error')::int AS errors,
             count(*) FILTER (WHERE severity = 'warning')::int AS warnings,
             count(*) FILTER (WHERE severity = 'info')::int AS infos
      FROM "HostFinding" WHERE "hostId" = h.id
    ) fc ON TRUE
    LEFT JOIN LATERAL (
      -- Order by the enum (error, warning, info), not the text alias, which would put info first.
      SELECT f."ruleId", f.severity::text AS severity, f.message FROM "HostFinding" f
      WHERE f."hostId" = h.id ORDER BY f.severity, f.id LIMIT 1
    ) wf ON TRUE
    ${orderBy}`;
}

async function countHosts(db: Database, where: Prisma.Sql): Promise<number> {
  const [row] = await db.$queryRaw<
    { total: number }[]
  >`SELECT count(*)::int AS total FROM "Host" h WHERE ${where}`;
  return row?.total ?? 0;
}

function keysetSql(column: Prisma.Sql, cast: string, order: Order, cursor: Cursor): Prisma.Sql {
  const key = Prisma.sql`${cursor.k}::${Prisma.raw(cast)}`;
  if (order === "asc") {
    // ASC, NULLS LAST: after a non-null key come larger keys, then all NULLs; after a NULL, more NULLs.
    return cursor.k === null
      ? Prisma.sql`(${column} IS NULL AND h.id > ${cursor.id})`
      : Prisma.sql`((${column}, h.id) > (${key}, ${cursor.id}) OR ${column} IS NULL)`;
  }
  // DESC, NULLS FIRST: after a NULL come the other NULLs, then every non-null key.
  return cursor.k === null
    ? Prisma.sql`((${column} IS NULL AND h.id < ${cursor.id}) OR ${column} IS NOT NULL)`
    : Prisma.sql`((${column}, h.id) < (${key}, ${cursor.id}))`;
}

function sortKeyText(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : value;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<Cursor>;
    if (
      Number.isInteger(value.id) &&
      Number.isInteger(value.t) &&
      (value.k === null || typeof value.k === "string")
    ) {
      return { k: value.k, id: value.id as number, t: value.t as number };
    }
  } catch {
    // fall through to the problem below
  }
  throw new ProblemError(400, "Invalid request", "cursor is not a cursor this API returned", [
    { field: "cursor", message: "is not a cursor this API returned" },
  ]);
}

function toItem(row: HostRow, clock: EstateClock): HostListItem {
  const bound =
    row.boundCertificateSha256 && row.boundNotAfter
      ? {
          sha256: row.boundCertificateSha256,
          serialNumber: row.serialNumber ?? "",
          notAfter: row.boundNotAfter.toISOString(),
          daysLeft: daysUntil(row.boundNotAfter, clock.now),
        }
      : null;
  return {
    id: row.id,
    fqdn: row.fqdn,
    role: row.role,
    managementGroup: row.managementGroup,
    status: row.status,
    reporting: reportingState(row.lastReportAt, clock),
    expected: row.expected,
    lastReportAt: row.lastReportAt?.toISOString() ?? null,
    certificateAuthRequired: certificateAuthRequirement({
      role: row.role,
      domainJoined: row.domainJoined,
      hostSetting: row.certificateAuthSetting,
      groupSetting: row.groupCertificateAuthRequired,
    }).required,
    usesKerberos: row.usesKerberos,
    expiry: row.boundNotAfter ? expiryBucket(row.boundNotAfter, clock.now) : "none",
    boundCertificate: bound,
    findingCounts: { error: row.errors, warning: row.warnings, info: row.infos },
    worstFinding:
      row.worstRuleId && row.worstSeverity && row.worstMessage
        ? { ruleId: row.worstRuleId, severity: row.worstSeverity, message: row.worstMessage }
        : null,
  };
}
