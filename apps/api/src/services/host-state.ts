import type { Report } from "@certfleet/contracts";
import type { CandidateCertificateEvidence, HostEvaluation } from "@certfleet/core";
import type { Prisma } from "@certfleet/db";
import type { DecodedCertificate } from "./certificates";
import { recordChangeEvent } from "./change-events";
import { applyRenewalDecision } from "./tasks/renewal-on-report";
import { recordTokenPairs } from "./token-sightings";

type Tx = Prisma.TransactionClient;

export interface HostStateChange {
  report: Report;
  fqdn: string;
  collectedAt: Date;
  evaluation: HostEvaluation;
  evidence: CandidateCertificateEvidence[];
  /** Certificates never stored before, to insert once. */
  fresh: Map<string, DecodedCertificate>;
  /** Only the newest report of a host changes its current state; late ones go to history. */
  isNewest: boolean;
  /** The collector token that sent the report (IngestContext); null for demo and seeded reports. */
  tokenId: number | null;
}

/** Writes one evaluated report (inside the caller's transaction) and returns the host id. */
export async function recordHostState(tx: Tx, change: HostStateChange): Promise<number> {
  const { report, fqdn, collectedAt, evaluation, evidence, isNewest } = change;
  await insertCertificates(tx, change);
  const managementGroupId = await managementGroupIdFor(tx, report.host.managementGroup ?? null);
  const bound = evaluation.bound?.evidence.certificate ?? null;
  const current = {
    role: report.host.role,
    managementGroupId,
    domainJoined: report.host.domainJoined,
    primaryServer: report.host.primaryServer ?? null,
    status: evaluation.status,
    boundCertificateSha256: bound?.sha256 ?? null,
    boundNotAfter: bound ? new Date(bound.notAfter) : null,
    lastReportAt: collectedAt,
    lastReceivedAt: new Date(),
  };
  const host = isNewest
    ? await upsertHost(tx, fqdn, current)
    : await tx.host.findUniqueOrThrow({ where: { fqdn }, select: { id: true } });

  await tx.report.create({
    data: {
      hostId: host.id,
      collectedAt,
      registrySerial: report.registry.channelCertificateSerialNumber,
      registryHash: report.registry.channelCertificateHash ?? null,
      boundCertificateSha256: bound?.sha256 ?? null,
      status: evaluation.status,
      tokenId: change.tokenId,
      certificates: evidence.map((item) => ({ sha256: item.certificate.sha256, ...item.facts })),
      events: report.events,
      findings: evaluation.findings.map(({ ruleId, severity, message, remediation }) => ({
        ruleId,
        severity,
        message,
        remediation,
      })),
    },
  });
  await recordCertificatesSeen(tx, host.id, evidence, collectedAt);
  await recordTokenPairs(tx, host.id, { ...change, findings: evaluation.findings });
  if (isNewest) {
    await replaceFindings(tx, host.id, evaluation);
    await recordBinding(
      tx,
      host.id,
      bound?.sha256 ?? null,
      report.registry.channelCertificateSerialNumber,
      collectedAt,
    );
    await applyRenewalDecision(
      tx,
      host.id,
      {
        boundSha256: bound?.sha256 ?? null,
        boundNotAfter: current.boundNotAfter,
        findings: evaluation.findings,
        events: report.events,
        tokenId: change.tokenId,
      },
      new Date(),
    );
  }
  // Last: it takes the lock that orders change events, held only until commit.
  await recordChangeEvent(tx, host.id);
  return host.id;
}

interface CurrentHostState {
  role: Report["host"]["role"];
  managementGroupId: number | null;
  domainJoined: boolean;
  primaryServer: string | null;
  status: HostEvaluation["status"];
  boundCertificateSha256: string | null;
  boundNotAfter: Date | null;
  lastReportAt: Date;
  lastReceivedAt: Date;
}

/**
 * The host row, created or brought up to date, in one statement. Raw SQL because this is the hot path
 * of every report: a typed Prisma upsert costs ~2 ms of CPU in the query compiler, the statement itself
 * a fraction of that. `updatedAt` is Prisma's @updatedAt, so it is set here by hand.
 */
async function upsertHost(tx: Tx, fqdn: string, current: CurrentHostState): Promise<{ id: number }> {
  const [host] = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "Host" ("fqdn", "role", "managementGroupId", "domainJoined", "primaryServer", "status",
      "boundCertificateSha256", "boundNotAfter", "lastReportAt", "lastReceivedAt", "updatedAt")
    VALUES (${fqdn}, ${current.role}::"HostRole", ${current.managementGroupId}, ${current.domainJoined},
      ${current.primaryServer}, ${current.status}::"HostStatus", ${current.boundCertificateSha256},
      ${current.boundNotAfter}, ${current.lastReportAt}, ${current.lastReceivedAt}, ${current.lastReceivedAt})
    ON CONFLICT ("fqdn") DO UPDATE SET
      "role" = EXCLUDED."role", "managementGroupId" = EXCLUDED."managementGroupId",
      "domainJoined" = EXCLUDED."domainJoined", "primaryServer" = EXCLUDED."primaryServer",
      "status" = EXCLUDED."status", "boundCertificateSha256" = EXCLUDED."boundCertificateSha256",
      "boundNotAfter" = EXCLUDED."boundNotAfter", "lastReportAt" = EXCLUDED."lastReportAt",
      "lastReceivedAt" = EXCLUDED."lastReceivedAt", "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "id"`;
  if (!host) throw new Error(`upserting host ${fqdn} returned no row`);
  return host;
}

/** One raw INSERT per new certificate (usually one per report): cheaper than a typed createMany. */
async function insertCertificates(tx: Tx, { fresh, evidence }: HostStateChange): Promise<void> {
  const parsedBySha = new Map(evidence.map((item) => [item.certificate.sha256, item.certificate]));
  for (const { der, sha256 } of fresh.values()) {
    const parsed = parsedBySha.get(sha256);
    if (!parsed) throw new Error(`certificate ${sha256} was decoded but not parsed`);
    // Another report may have stored the same certificate a moment ago: content-addressed, so equal.
    await tx.$executeRaw`
      INSERT INTO "Certificate" ("sha256", "thumbprint", "der", "serialNumber", "subject", "issuer",
        "notBefore", "notAfter", "parsed")
      VALUES (${sha256}, ${parsed.thumbprint}, ${new Uint8Array(der)}, ${parsed.serialNumber}, ${parsed.subject},
        ${parsed.issuer}, ${new Date(parsed.notBefore)}, ${new Date(parsed.notAfter)}, ${JSON.stringify(parsed)}::jsonb)
      ON CONFLICT DO NOTHING`;
  }
}

/**
 * The group's id, creating the group on its first report. Prisma's upsert is a SELECT then an INSERT,
 * so two first reports of a new group racing each other failed on the unique name; ON CONFLICT DO
 * NOTHING cannot, and takes no row lock on an existing group (reports of one group do not queue).
 */
async function managementGroupIdFor(tx: Tx, name: string | null): Promise<number | null> {
  if (!name) return null;
  const [group] = await tx.$queryRaw<{ id: number }[]>`
    WITH created AS (
      INSERT INTO "ManagementGroup" ("name") VALUES (${name}) ON CONFLICT ("name") DO NOTHING RETURNING "id"
    )
    SELECT "id" FROM created UNION ALL SELECT "id" FROM "ManagementGroup" WHERE "name" = ${name}`;
  if (group) return group.id;
  // Created by a transaction that committed after this statement's snapshot: a new statement sees it.
  const committed = await tx.managementGroup.findUniqueOrThrow({ where: { name }, select: { id: true } });
  return committed.id;
}

/** One statement (a typed delete + insert costs ~3 ms of Prisma work per report; this is the hot path). */
async function replaceFindings(tx: Tx, hostId: number, evaluation: HostEvaluation): Promise<void> {
  const findings = evaluation.findings;
  await tx.$executeRaw`
    WITH removed AS (DELETE FROM "HostFinding" WHERE "hostId" = ${hostId})
    INSERT INTO "HostFinding" ("hostId", "ruleId", "severity", "message", "remediation")
    SELECT ${hostId}, f.rule_id, f.severity::"Severity", f.message, f.remediation
    FROM unnest(
      ${findings.map((f) => f.ruleId)}::text[],
      ${findings.map((f) => f.severity)}::text[],
      ${findings.map((f) => f.message)}::text[],
      ${findings.map((f) => f.remediation)}::text[]
    ) WITH ORDINALITY AS f(rule_id, severity, message, remediation, position)
    ORDER BY f.position`;
}

/** First/last seen per store certificate; LEAST/GREATEST keep it right when reports arrive out of order. */
async function recordCertificatesSeen(
  tx: Tx,
  hostId: number,
  evidence: CandidateCertificateEvidence[],
  seenAt: Date,
): Promise<void> {
  const shas = [...new Set(evidence.map((item) => item.certificate.sha256))];
  if (shas.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "HostCertificate" ("hostId", "certificateSha256", "firstSeenAt", "lastSeenAt")
    SELECT ${hostId}, sha, ${seenAt}, ${seenAt} FROM unnest(${shas}::text[]) AS sha
    ON CONFLICT ("hostId", "certificateSha256") DO UPDATE SET
      "firstSeenAt" = LEAST("HostCertificate"."firstSeenAt", EXCLUDED."firstSeenAt"),
      "lastSeenAt" = GREATEST("HostCertificate"."lastSeenAt", EXCLUDED."lastSeenAt")`;
}

/** Serial history: extend the current binding, or open a new one when the bound certificate changed. */
async function recordBinding(
  tx: Tx,
  hostId: number,
  certificateSha256: string | null,
  registrySerial: string | null,
  seenAt: Date,
): Promise<void> {
  // Unchanged: same bound certificate, or (nothing bound) the same registry value. One statement.
  await tx.$executeRaw`
    WITH latest AS (
      SELECT "id", "certificateSha256", "registrySerial" FROM "HostBinding"
      WHERE "hostId" = ${hostId} ORDER BY "firstSeenAt" DESC LIMIT 1
    ), extended AS (
      UPDATE "HostBinding" b SET "lastSeenAt" = ${seenAt} FROM latest
      WHERE b."id" = latest."id"
        AND latest."certificateSha256" IS NOT DISTINCT FROM ${certificateSha256}::text
        AND (${certificateSha256}::text IS NOT NULL OR latest."registrySerial" IS NOT DISTINCT FROM ${registrySerial}::text)
      RETURNING b."id"
    )
    INSERT INTO "HostBinding" ("hostId", "certificateSha256", "registrySerial", "firstSeenAt", "lastSeenAt")
    SELECT ${hostId}, ${certificateSha256}::text, ${registrySerial}::text, ${seenAt}, ${seenAt}
    WHERE NOT EXISTS (SELECT 1 FROM extended)`;
}
