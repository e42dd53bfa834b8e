import type { Report } from "@certfleet/contracts";
import type { CandidateCertificateEvidence, HostEvaluation } from "@certfleet/core";
import type { Prisma } from "@certfleet/db";
import type { DecodedCertificate } from "./certificates";

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
    ? await tx.host.upsert({
        where: { fqdn },
        create: { fqdn, ...current },
        update: current,
        select: { id: true },
      })
    : await tx.host.findUniqueOrThrow({ where: { fqdn }, select: { id: true } });

  await tx.report.create({
    data: {
      hostId: host.id,
      collectedAt,
      registrySerial: report.registry.channelCertificateSerialNumber,
      registryHash: report.registry.channelCertificateHash ?? null,
      boundCertificateSha256: bound?.sha256 ?? null,
      status: evaluation.status,
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
  if (isNewest) {
    await replaceFindings(tx, host.id, evaluation);
    await recordBinding(
      tx,
      host.id,
      bound?.sha256 ?? null,
      report.registry.channelCertificateSerialNumber,
      collectedAt,
    );
  }
  return host.id;
}

async function insertCertificates(tx: Tx, { fresh, evidence }: HostStateChange): Promise<void> {
  if (fresh.size === 0) return;
  const parsedBySha = new Map(evidence.map((item) => [item.certificate.sha256, item.certificate]));
  await tx.certificate.createMany({
    data: [...fresh.values()].map(({ der, sha256 }) => {
      const parsed = parsedBySha.get(sha256);
      if (!parsed) throw new Error(`certificate ${sha256} was decoded but not parsed`);
      return {
        sha256,
        thumbprint: parsed.thumbprint,
        der: new Uint8Array(der),
        serialNumber: parsed.serialNumber,
        subject: parsed.subject,
        issuer: parsed.issuer,
        notBefore: new Date(parsed.notBefore),
        notAfter: new Date(parsed.notAfter),
        parsed: parsed as unknown as Prisma.InputJsonValue,
      };
    }),
    // Another report may have stored the same certificate a moment ago: content-addressed, so equal.
    skipDuplicates: true,
  });
}

async function managementGroupIdFor(tx: Tx, name: string | null): Promise<number | null> {
  if (!name) return null;
  const group = await tx.managementGroup.upsert({
    where: { name },
    create: { name },
    update: {},
    select: { id: true },
  });
  return group.id;
}

async function replaceFindings(tx: Tx, hostId: number, evaluation: HostEvaluation): Promise<void> {
  await tx.hostFinding.deleteMany({ where: { hostId } });
  if (evaluation.findings.length === 0) return;
  await tx.hostFinding.createMany({
    data: evaluation.findings.map(({ ruleId, severity, message, remediation }) => ({
      hostId,
      ruleId,
      severity,
      message,
      remediation,
    })),
  });
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
  const latest = await tx.hostBinding.findFirst({
    where: { hostId },
    orderBy: { firstSeenAt: "desc" },
    select: { id: true, certificateSha256: true, registrySerial: true },
  });
  const unchanged =
    latest &&
    latest.certificateSha256 === certificateSha256 &&
    (certificateSha256 !== null || latest.registrySerial === registrySerial);
  if (unchanged) {
    await tx.hostBinding.update({ where: { id: latest.id }, data: { lastSeenAt: seenAt } });
  } else {
    await tx.hostBinding.create({
      data: { hostId, certificateSha256, registrySerial, firstSeenAt: seenAt, lastSeenAt: seenAt },
    });
  }
}
