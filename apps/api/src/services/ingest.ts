import type { Finding, IngestResult, Report } from "@certfleet/contracts";
import {
  type CandidateCertificateEvidence,
  type EvaluationSettings,
  evaluateHost,
  findBoundCertificate,
  type HostEvaluation,
  type HostEvaluationInput,
  type ParsedCertificate,
} from "@certfleet/core";
import { type Database, Prisma } from "@certfleet/db";
import { type DecodedCertificate, decodeCertificates, resolveCertificates } from "./certificates";
import { recordHostState } from "./host-state";
import type { IngestContext } from "./ingest-context";
import { evaluationTime } from "./report-clock";
import { assertReportInScope } from "./token-scope";
import { reportingTokensFor } from "./token-sightings";

export interface IngestOutcome {
  /** false when the same report (host + collectedAt) was already stored: nothing was written. */
  created: boolean;
  result: IngestResult;
}

/** FQDNs are case-insensitive and a trailing dot is the same name: store one spelling. */
export function normaliseFqdn(fqdn: string): string {
  return fqdn.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * Evaluates one collector report with the SCOM rules and stores it: the report in the
 * append-only history, and — when it is the host's newest — the host's current state.
 * Everything that can reject the report happens before the first write.
 */
export async function ingestReport(
  db: Database,
  report: Report,
  settings: EvaluationSettings,
  context: IngestContext,
): Promise<IngestOutcome> {
  assertReportInScope(context.token, report);
  const fqdn = normaliseFqdn(report.host.fqdn);
  const collectedAt = new Date(report.collectedAt);
  const decoded = decodeCertificates(report);
  const { parsed, fresh } = await resolveCertificates(db, decoded);

  // Raw lookups on the hot path: a typed Prisma query costs ~1 ms of CPU in the query compiler alone.
  const [existing] = await db.$queryRaw<{ id: number; lastReportAt: Date | null }[]>`
    SELECT "id", "lastReportAt" FROM "Host" WHERE "fqdn" = ${fqdn}`;
  if (existing) {
    const replay = await replayStoredReport(db, existing.id, collectedAt);
    if (replay) return { created: false, result: replay };
  }

  const evidence = report.certificates.map((candidate, index): CandidateCertificateEvidence => {
    const { der: _der, ...facts } = candidate;
    return {
      certificate: parsed.get((decoded[index] as DecodedCertificate).sha256) as ParsedCertificate,
      facts,
    };
  });
  const derBySha = new Map(decoded.map((item) => [item.sha256, item.der]));
  const reportingTokens = await reportingTokensFor(db, fqdn, collectedAt, context.token);
  const evaluation = await evaluate(db, report, fqdn, collectedAt, evidence, settings, {
    certificateDer: derBySha,
    reportingTokens,
  });
  const isNewest = !existing?.lastReportAt || collectedAt >= existing.lastReportAt;

  try {
    const hostId = await db.$transaction((tx) =>
      recordHostState(tx, {
        report,
        fqdn,
        collectedAt,
        evaluation,
        evidence,
        fresh,
        isNewest,
        tokenId: context.token?.id ?? null,
      }),
    );
    const status = isNewest ? evaluation.status : ((await currentStatus(db, hostId)) ?? evaluation.status);
    return {
      created: true,
      result: toResult(
        hostId,
        fqdn,
        report,
        status,
        evaluation.bound?.evidence.certificate,
        evaluation.findings,
      ),
    };
  } catch (error) {
    // Two identical reports racing: the loser hits the (hostId, collectedAt) or fqdn unique index.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const host = await db.host.findUnique({ where: { fqdn }, select: { id: true } });
      const replay = host ? await replayStoredReport(db, host.id, collectedAt) : null;
      if (replay) return { created: false, result: replay };
      if (host) return ingestReport(db, report, settings, context);
    }
    throw error;
  }
}

async function evaluate(
  db: Database,
  report: Report,
  fqdn: string,
  collectedAt: Date,
  evidence: CandidateCertificateEvidence[],
  settings: EvaluationSettings,
  extra: Pick<HostEvaluationInput, "certificateDer" | "reportingTokens">,
): Promise<HostEvaluation> {
  const bound = findBoundCertificate(report.registry, evidence);
  const others = bound
    ? await db.$queryRaw<{ fqdn: string }[]>`
        SELECT "fqdn" FROM "Host"
        WHERE "boundCertificateSha256" = ${bound.evidence.certificate.sha256} AND "fqdn" <> ${fqdn}
        ORDER BY "fqdn" LIMIT 25`
    : [];
  const reportedCas = evidence.map((item) => item.certificate).filter((certificate) => certificate.isCa);
  return evaluateHost({
    host: { fqdn, role: report.host.role, domainJoined: report.host.domainJoined },
    registry: report.registry,
    certificates: evidence,
    events: report.events,
    collectedAt: evaluationTime(collectedAt),
    settings,
    otherHostsBoundToSameCertificate: others.map((host) => host.fqdn),
    issuerCandidates: [...settings.trustAnchors.map((anchor) => anchor.certificate), ...reportedCas],
    ...extra,
  });
}

async function currentStatus(db: Database, hostId: number) {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId }, select: { status: true } });
  return host.status;
}

/** The answer to a report that was already stored, rebuilt from what was stored (no re-evaluation). */
async function replayStoredReport(
  db: Database,
  hostId: number,
  collectedAt: Date,
): Promise<IngestResult | null> {
  const stored = await db.report.findUnique({
    where: { hostId_collectedAt: { hostId, collectedAt } },
    select: {
      findings: true,
      status: true,
      boundCertificateSha256: true,
      host: { select: { id: true, fqdn: true, role: true, status: true } },
    },
  });
  if (!stored) return null;
  const certificate = stored.boundCertificateSha256
    ? await db.certificate.findUnique({
        where: { sha256: stored.boundCertificateSha256 },
        select: { sha256: true, serialNumber: true, notAfter: true },
      })
    : null;
  return {
    // The host has reported (this very report), so its status is set; the fallback is for the type.
    host: { ...stored.host, status: stored.host.status ?? stored.status },
    boundCertificate: certificate
      ? {
          sha256: certificate.sha256,
          serialNumber: certificate.serialNumber,
          notAfter: certificate.notAfter.toISOString(),
        }
      : null,
    findings: stored.findings as unknown as Finding[],
  };
}

function toResult(
  hostId: number,
  fqdn: string,
  report: Report,
  status: IngestResult["host"]["status"],
  bound: ParsedCertificate | undefined,
  findings: Finding[],
): IngestResult {
  return {
    host: { id: hostId, fqdn, role: report.host.role, status },
    boundCertificate: bound
      ? {
          sha256: bound.sha256,
          serialNumber: bound.serialNumber,
          notAfter: new Date(bound.notAfter).toISOString(),
        }
      : null,
    findings: findings.map(({ ruleId, severity, message, remediation }) => ({
      ruleId,
      severity,
      message,
      remediation,
    })),
  };
}
