/**
 * The set-based writes of ingest: every statement here handles all the reports of one round of a
 * batch at once (a single report is a batch of one). Raw SQL throughout: this is the hot path, and a
 * typed Prisma query costs ~1-3 ms of CPU in the query compiler alone, the statement a fraction of that.
 * Rows travel as one JSON document per statement (jsonb_to_recordset): one parameter whatever the size.
 */
import { createHash } from "node:crypto";
import type { Report } from "@certfleet/contracts";
import {
  type CandidateCertificateEvidence,
  type HostEvaluation,
  type ParsedCertificate,
  primaryManagementGroup,
} from "@certfleet/core";
import { Prisma } from "@certfleet/db";
import type { DecodedCertificate } from "./certificates";
import type { BoundHolder, HolderQuery } from "./duplicate-holders";

type Tx = Prisma.TransactionClient;

/**
 * First key of the two-key advisory locks that serialise the reports of one host ("cfho"). Two-key locks
 * live in their own key space, so they never collide with the single bigint keys used elsewhere.
 */
const HOST_LOCK_CLASS = 0x6366686f;

/** The second lock key of a host: 32 bits of the SHA-256 of its (normalised) FQDN. */
export function hostLockKey(fqdn: string): number {
  return createHash("sha256").update(fqdn).digest().readInt32BE(0);
}

/**
 * Takes the per-host locks of every FQDN, held until the transaction ends. Every ingest takes them in
 * ascending key order (one statement; unnest returns the sorted array in order), so two batches that
 * share hosts queue instead of deadlocking. Two FQDNs sharing a key only serialise a little more.
 */
export async function lockHosts(tx: Tx, fqdns: Iterable<string>): Promise<void> {
  const keys = [...new Set([...fqdns].map(hostLockKey))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(${HOST_LOCK_CLASS}::int, key) FROM unnest(${keys}::int[]) AS key`;
}

export interface KnownHost {
  id: number;
  lastReportAt: Date | null;
  status: HostEvaluation["status"] | null;
  /** The per-host "certificate authentication required" setting (null: not set). */
  certificateAuthSetting: boolean | null;
}

/** The hosts among `fqdns` that exist, read under their locks (so `lastReportAt` is current). */
export async function readHosts(tx: Tx, fqdns: string[]): Promise<Map<string, KnownHost>> {
  const rows = await tx.$queryRaw<
    {
      id: number;
      fqdn: string;
      lastReportAt: Date | null;
      status: KnownHost["status"];
      certificateAuthSetting: boolean | null;
    }[]
  >`SELECT "id", "fqdn", "lastReportAt", "status"::text AS "status", "certificateAuthSetting" FROM "Host"
    WHERE "fqdn" = ANY(${fqdns}::text[])`;
  return new Map(rows.map(({ fqdn, ...host }) => [fqdn, host]));
}

export interface BatchState {
  /** The hosts that exist, read under their locks (so `lastReportAt` is current). */
  hosts: Map<string, KnownHost>;
  /** reportKey of each (fqdn, collectedAt) already stored: re-posts answer 200 and write nothing. */
  stored: Set<string>;
  /** Group name → id, the missing groups created. */
  groupIds: Map<string, number>;
  /** Group name → its "certificate authentication required" setting (null: not set). */
  groupCertificateAuth: Map<string, boolean | null>;
  /**
   * The hosts bound to each certificate that reported since the query's cutoff (for the duplicate rule),
   * first by name, at most `boundLimit` each.
   */
  bound: Map<string, BoundHolder[]>;
}

/**
 * Everything a batch needs to read before it writes, in one statement (each round trip through the
 * client costs more CPU than the SQL): the hosts, which reports are already stored, the management
 * groups (missing ones created; ON CONFLICT DO NOTHING takes no row lock on an existing group, so
 * reports of one group do not queue on it) and the hosts bound to each reported certificate.
 */
export async function readBatchState(
  tx: Tx,
  reports: { fqdn: string; collectedAt: Date }[],
  groupNames: string[],
  holders: HolderQuery[],
  boundLimit: number,
): Promise<BatchState> {
  const input = reports.map(({ fqdn, collectedAt }) => ({ fqdn, collectedAt: collectedAt.toISOString() }));
  // Sorted, like the certificates: two batches creating the same new groups insert them in one order.
  const groups = [...new Set(groupNames)].sort();
  const [row] = await tx.$queryRaw<{ hosts: unknown; stored: unknown; groups: unknown; bound: unknown }[]>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS i("fqdn" text, "collectedAt" timestamp(3))
    ), hosts AS (
      SELECT "id", "fqdn", "lastReportAt", "status"::text AS "status", "certificateAuthSetting" FROM "Host"
      WHERE "fqdn" IN (SELECT "fqdn" FROM input)
    ), stored AS (
      SELECT h."fqdn", r."collectedAt" FROM input i
      JOIN hosts h ON h."fqdn" = i."fqdn"
      JOIN "Report" r ON r."hostId" = h."id" AND r."collectedAt" = i."collectedAt"
    ), group_names AS (
      SELECT DISTINCT unnest(${groups}::text[]) AS "name"
    ), created_groups AS (
      INSERT INTO "ManagementGroup" ("name") SELECT "name" FROM group_names ON CONFLICT ("name") DO NOTHING
      RETURNING "id", "name", "certificateAuthRequired"
    ), all_groups AS (
      SELECT "id", "name", "certificateAuthRequired" FROM created_groups
      UNION ALL SELECT g."id", g."name", g."certificateAuthRequired" FROM "ManagementGroup" g
      JOIN group_names USING ("name")
    ), bound AS (
      SELECT s."sha256", b."fqdn", b."lastReportAt" FROM jsonb_to_recordset(${holdersJson(holders)}::jsonb)
        AS s("sha256" text, "since" timestamp(3))
      CROSS JOIN LATERAL (${holdersOf(boundLimit)}) AS b
    )
    SELECT (SELECT coalesce(jsonb_agg(hosts), '[]') FROM hosts) AS "hosts",
           (SELECT coalesce(jsonb_agg(stored), '[]') FROM stored) AS "stored",
           (SELECT coalesce(jsonb_agg(all_groups), '[]') FROM all_groups) AS "groups",
           (SELECT coalesce(jsonb_agg(bound ORDER BY "sha256", "fqdn"), '[]') FROM bound) AS "bound"`;
  if (!row) throw new Error("reading the batch state returned no row");
  // Timestamps without time zone come back as JSON text without a zone: they are UTC.
  const utc = (text: string | null) => (text === null ? null : new Date(`${text}Z`));
  const hosts = new Map(
    (
      row.hosts as {
        id: number;
        fqdn: string;
        lastReportAt: string | null;
        status: KnownHost["status"];
        certificateAuthSetting: boolean | null;
      }[]
    ).map((host) => [
      host.fqdn,
      {
        id: host.id,
        lastReportAt: utc(host.lastReportAt),
        status: host.status,
        certificateAuthSetting: host.certificateAuthSetting,
      },
    ]),
  );
  const stored = new Set(
    (row.stored as { fqdn: string; collectedAt: string }[]).map((report) =>
      reportKey(report.fqdn, utc(report.collectedAt) as Date),
    ),
  );
  const groupRows = row.groups as { id: number; name: string; certificateAuthRequired: boolean | null }[];
  const groupIds = new Map(groupRows.map((group) => [group.name, group.id]));
  const groupCertificateAuth = new Map(groupRows.map((group) => [group.name, group.certificateAuthRequired]));
  const missing = groups.filter((name) => !groupIds.has(name));
  if (missing.length) {
    // Created by a transaction that committed after that statement's snapshot: a new statement sees it.
    const late = await tx.$queryRaw<{ id: number; name: string; certificateAuthRequired: boolean | null }[]>`
      SELECT "id", "name", "certificateAuthRequired" FROM "ManagementGroup" WHERE "name" = ANY(${missing}::text[])`;
    for (const group of late) {
      groupIds.set(group.name, group.id);
      groupCertificateAuth.set(group.name, group.certificateAuthRequired);
    }
  }
  const bound = new Map<string, BoundHolder[]>();
  for (const entry of row.bound as { sha256: string; fqdn: string; lastReportAt: string | null }[]) {
    const holder = { fqdn: entry.fqdn, lastReportAt: utc(entry.lastReportAt) };
    bound.set(entry.sha256, [...(bound.get(entry.sha256) ?? []), holder]);
  }
  return { hosts, stored, groupIds, groupCertificateAuth, bound };
}

export const reportKey = (fqdn: string, collectedAt: Date): string => `${fqdn}\u0000${collectedAt.getTime()}`;

/** Certificates never stored before, in one statement; content-addressed, so a concurrent equal insert is fine. */
export async function insertCertificates(
  tx: Tx,
  fresh: { decoded: DecodedCertificate; parsed: ParsedCertificate }[],
): Promise<void> {
  if (fresh.length === 0) return;
  // In one order everywhere: two batches inserting the same new certificates in opposite orders would
  // each wait for the other's uncommitted row (a deadlock).
  const sorted = [...fresh].sort((a, b) => (a.decoded.sha256 < b.decoded.sha256 ? -1 : 1));
  for (const chunk of chunksOf(sorted, WRITE_CHUNK)) await insertCertificateRows(tx, chunk);
}

/**
 * Rows per write statement. Building and sending one statement of 1,000 reports (megabytes of JSON)
 * held the event loop for ~150 ms; in chunks, other requests get their turn between statements.
 */
const WRITE_CHUNK = 250;

function chunksOf<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

async function insertCertificateRows(
  tx: Tx,
  sorted: { decoded: DecodedCertificate; parsed: ParsedCertificate }[],
): Promise<void> {
  const rows = sorted.map(({ decoded, parsed }) => ({
    sha256: decoded.sha256,
    thumbprint: parsed.thumbprint,
    der: decoded.der.toString("base64"),
    serialNumber: parsed.serialNumber,
    subject: parsed.subject,
    issuer: parsed.issuer,
    notBefore: new Date(parsed.notBefore).toISOString(),
    notAfter: new Date(parsed.notAfter).toISOString(),
    parsed,
  }));
  await tx.$executeRaw`
    INSERT INTO "Certificate" ("sha256", "thumbprint", "der", "serialNumber", "subject", "issuer",
      "notBefore", "notAfter", "parsed")
    SELECT c."sha256", c."thumbprint", decode(c."der", 'base64'), c."serialNumber", c."subject", c."issuer",
      c."notBefore", c."notAfter", c."parsed"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS c("sha256" text, "thumbprint" text, "der" text,
      "serialNumber" text, "subject" text, "issuer" text, "notBefore" timestamp(3), "notAfter" timestamp(3),
      "parsed" jsonb)
    ON CONFLICT DO NOTHING`;
}

/**
 * The holders of one certificate `s` (a row with "sha256" and "since"), for a LATERAL join: served by the
 * index Host (boundCertificateSha256, fqdn) as a range scan in name order, the silence cutoff checked on
 * the rows it walks (docs/performance.md). Hosts silent since `since`, and hosts an inventory import
 * retired, do not count (duplicate-holders.ts).
 */
function holdersOf(limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT "fqdn", "lastReportAt" FROM "Host"
    WHERE "boundCertificateSha256" = s."sha256" AND "lastReportAt" >= s."since" AND "retiredAt" IS NULL
    ORDER BY "fqdn" LIMIT ${limit}`;
}

const holdersJson = (holders: HolderQuery[]): string =>
  JSON.stringify(holders.map(({ sha256, since }) => ({ sha256, since: since.toISOString() })));

/** The hosts bound to each certificate that reported since its cutoff (duplicate rule), at most `limit` each. */
export async function hostsBoundTo(
  tx: Tx,
  holders: HolderQuery[],
  limit: number,
): Promise<Map<string, BoundHolder[]>> {
  const bound = new Map<string, BoundHolder[]>();
  if (holders.length === 0) return bound;
  const rows = await tx.$queryRaw<{ sha256: string; fqdn: string; lastReportAt: Date | null }[]>`
    SELECT s."sha256", h."fqdn", h."lastReportAt"
    FROM jsonb_to_recordset(${holdersJson(holders)}::jsonb) AS s("sha256" text, "since" timestamp(3))
    CROSS JOIN LATERAL (${holdersOf(limit)}) AS h`;
  for (const { sha256, ...holder } of rows) bound.set(sha256, [...(bound.get(sha256) ?? []), holder]);
  return bound;
}

/** One evaluated report of a round; at most one per host in a round. */
export interface RoundItem {
  report: Report;
  fqdn: string;
  collectedAt: Date;
  evaluation: HostEvaluation;
  evidence: CandidateCertificateEvidence[];
  managementGroupId: number | null;
  /** Known before the round: set for existing hosts. */
  hostId: number | null;
  /** Only the host's newest report changes its current state; late ones go to history only. */
  newest: boolean;
}

/**
 * Writes one round: the host rows of the newest reports (conditional upsert), every report into the
 * history, the store certificates seen, and for the newest ones findings and serial history. Sets
 * `hostId` on each item; an item whose host turned out to hold a newer report is marked not newest.
 */
export async function writeRound(
  tx: Tx,
  items: RoundItem[],
  receivedAt: Date,
  tokenId: number | null,
): Promise<void> {
  // Hosts of one round are distinct and already locked, so chunks cannot step on each other.
  for (const chunk of chunksOf(items, WRITE_CHUNK)) {
    await upsertHosts(
      tx,
      chunk.filter((item) => item.newest),
      receivedAt,
    );
    await writeHistory(tx, chunk, tokenId);
  }
}

const hostIdOf = (item: RoundItem): number => {
  if (item.hostId === null) throw new Error(`host ${item.fqdn} has no id yet`);
  return item.hostId;
};

/**
 * The host rows, created or brought up to date, in one statement. The update applies only while the
 * stored report is not newer: the per-host lock already guarantees that, and the condition keeps it true
 * for any writer that does not take the lock. `updatedAt` is Prisma's @updatedAt, so it is set by hand.
 */
async function upsertHosts(tx: Tx, items: RoundItem[], receivedAt: Date): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map(({ report, fqdn, collectedAt, evaluation, managementGroupId }) => {
    const bound = evaluation.bound?.evidence.certificate ?? null;
    return {
      fqdn,
      role: report.host.role,
      managementGroupId,
      domainJoined: report.host.domainJoined,
      primaryServer: primaryManagementGroup(report.host)?.primaryServer ?? null,
      status: evaluation.status,
      usesKerberos: evaluation.usesKerberos,
      bound: bound?.sha256 ?? null,
      boundNotAfter: bound ? new Date(bound.notAfter).toISOString() : null,
      lastReportAt: collectedAt.toISOString(),
      receivedAt: receivedAt.toISOString(),
    };
  });
  const written = await tx.$queryRaw<{ id: number; fqdn: string }[]>`
    INSERT INTO "Host" ("fqdn", "role", "managementGroupId", "domainJoined", "primaryServer", "status",
      "usesKerberos", "boundCertificateSha256", "boundNotAfter", "lastReportAt", "lastReceivedAt", "updatedAt")
    SELECT h."fqdn", h."role"::"HostRole", h."managementGroupId", h."domainJoined", h."primaryServer",
      h."status"::"HostStatus", h."usesKerberos", h."bound", h."boundNotAfter", h."lastReportAt", h."receivedAt",
      h."receivedAt"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS h("fqdn" text, "role" text,
      "managementGroupId" int, "domainJoined" boolean, "primaryServer" text, "status" text,
      "usesKerberos" boolean, "bound" text, "boundNotAfter" timestamp(3), "lastReportAt" timestamp(3),
      "receivedAt" timestamp(3))
    ON CONFLICT ("fqdn") DO UPDATE SET
      "role" = EXCLUDED."role", "managementGroupId" = EXCLUDED."managementGroupId",
      "domainJoined" = EXCLUDED."domainJoined", "primaryServer" = EXCLUDED."primaryServer",
      "status" = EXCLUDED."status", "usesKerberos" = EXCLUDED."usesKerberos",
      "boundCertificateSha256" = EXCLUDED."boundCertificateSha256",
      "boundNotAfter" = EXCLUDED."boundNotAfter", "lastReportAt" = EXCLUDED."lastReportAt",
      "lastReceivedAt" = EXCLUDED."lastReceivedAt", "updatedAt" = EXCLUDED."updatedAt",
      -- A host an inventory import retired that reports again is back in the estate.
      "retiredAt" = NULL
    WHERE "Host"."lastReportAt" IS NULL OR "Host"."lastReportAt" <= EXCLUDED."lastReportAt"
    RETURNING "id", "fqdn"`;
  const ids = new Map(written.map((row) => [row.fqdn, row.id]));
  const skipped: RoundItem[] = [];
  for (const item of items) {
    const id = ids.get(item.fqdn);
    if (id === undefined) skipped.push(item);
    else item.hostId = id;
  }
  if (skipped.length === 0) return;
  // A newer report was stored without our lock (e.g. by an older instance): this one is history only.
  const existing = await readHosts(
    tx,
    skipped.map((item) => item.fqdn),
  );
  for (const item of skipped) {
    item.newest = false;
    item.hostId = existing.get(item.fqdn)?.id ?? null;
  }
}

/**
 * One statement for the rest of the round: every report into the history, the store certificates seen
 * (first/last seen; LEAST/GREATEST keep it right when reports arrive out of order), and for the newest
 * reports their findings (replacing the host's) and serial history (the current binding extended when
 * the bound certificate, or with nothing bound the registry value, is unchanged; else a new one).
 * Each part is a data-modifying CTE on its own table, so they cannot see or step on each other.
 */
async function writeHistory(tx: Tx, items: RoundItem[], tokenId: number | null): Promise<void> {
  const newest = items.filter((item) => item.newest);
  const reports = items.map((item) => ({
    hostId: hostIdOf(item),
    collectedAt: item.collectedAt.toISOString(),
    registrySerial: item.report.registry.channelCertificateSerialNumber,
    registryHash: item.report.registry.channelCertificateHash ?? null,
    bound: item.evaluation.bound?.evidence.certificate.sha256 ?? null,
    status: item.evaluation.status,
    tokenId,
    certificates: item.evidence.map((evidence) => ({
      sha256: evidence.certificate.sha256,
      ...evidence.facts,
    })),
    events: item.report.events,
    findings: publicFindings(item),
  }));
  const seen = items.flatMap((item) =>
    [...new Set(item.evidence.map((evidence) => evidence.certificate.sha256))].map((sha256) => ({
      hostId: hostIdOf(item),
      sha256,
      seenAt: item.collectedAt.toISOString(),
    })),
  );
  const findings = newest.flatMap((item) =>
    publicFindings(item).map((finding) => ({ hostId: hostIdOf(item), ...finding })),
  );
  const bindings = newest.map((item) => ({
    hostId: hostIdOf(item),
    sha256: item.evaluation.bound?.evidence.certificate.sha256 ?? null,
    serial: item.report.registry.channelCertificateSerialNumber,
    seenAt: item.collectedAt.toISOString(),
  }));
  await tx.$executeRaw`
    WITH reports AS (
      INSERT INTO "Report" ("hostId", "collectedAt", "registrySerial", "registryHash", "boundCertificateSha256",
        "status", "tokenId", "certificates", "events", "findings")
      SELECT r."hostId", r."collectedAt", r."registrySerial", r."registryHash", r."bound", r."status"::"HostStatus",
        r."tokenId", r."certificates", r."events", r."findings"
      FROM jsonb_to_recordset(${JSON.stringify(reports)}::jsonb) AS r("hostId" int, "collectedAt" timestamp(3),
        "registrySerial" text, "registryHash" text, "bound" text, "status" text, "tokenId" int,
        "certificates" jsonb, "events" jsonb, "findings" jsonb)
    ), seen AS (
      INSERT INTO "HostCertificate" ("hostId", "certificateSha256", "firstSeenAt", "lastSeenAt")
      SELECT s."hostId", s."sha256", s."seenAt", s."seenAt"
      FROM jsonb_to_recordset(${JSON.stringify(seen)}::jsonb) AS s("hostId" int, "sha256" text, "seenAt" timestamp(3))
      ON CONFLICT ("hostId", "certificateSha256") DO UPDATE SET
        "firstSeenAt" = LEAST("HostCertificate"."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST("HostCertificate"."lastSeenAt", EXCLUDED."lastSeenAt")
    ), removed_findings AS (
      DELETE FROM "HostFinding" WHERE "hostId" = ANY(${newest.map(hostIdOf)}::int[])
    ), findings AS (
      INSERT INTO "HostFinding" ("hostId", "ruleId", "severity", "message", "remediation")
      SELECT f."hostId", f."ruleId", f."severity"::"Severity", f."message", f."remediation"
      FROM jsonb_array_elements(${JSON.stringify(findings)}::jsonb) WITH ORDINALITY AS e(row, position)
      CROSS JOIN LATERAL jsonb_to_record(e.row) AS f("hostId" int, "ruleId" text, "severity" text,
        "message" text, "remediation" text)
      ORDER BY e.position
    ), binding_input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(bindings)}::jsonb)
        AS i("hostId" int, "sha256" text, "serial" text, "seenAt" timestamp(3))
    ), unchanged AS (
      SELECT i."hostId", i."seenAt", b."id"
      FROM binding_input i
      CROSS JOIN LATERAL (
        SELECT "id", "certificateSha256", "registrySerial" FROM "HostBinding"
        WHERE "hostId" = i."hostId" ORDER BY "firstSeenAt" DESC, "id" DESC LIMIT 1
      ) AS b
      WHERE b."certificateSha256" IS NOT DISTINCT FROM i."sha256"
        AND (i."sha256" IS NOT NULL OR b."registrySerial" IS NOT DISTINCT FROM i."serial")
    ), extended AS (
      UPDATE "HostBinding" b SET "lastSeenAt" = unchanged."seenAt" FROM unchanged
      WHERE b."id" = unchanged."id"
      RETURNING b."hostId"
    ), opened AS (
      INSERT INTO "HostBinding" ("hostId", "certificateSha256", "registrySerial", "firstSeenAt", "lastSeenAt")
      SELECT i."hostId", i."sha256", i."serial", i."seenAt", i."seenAt" FROM binding_input i
      WHERE i."hostId" NOT IN (SELECT "hostId" FROM extended)
    )
    SELECT 1`;
}

const publicFindings = (item: RoundItem) =>
  item.evaluation.findings.map(({ ruleId, severity, message, remediation }) => ({
    ruleId,
    severity,
    message,
    remediation,
  }));
