import type { Finding, HostDetail } from "@certfleet/contracts";
import { mirroredSerialToHex, type ParsedCertificate } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../../problem";
import { certificateAuthenticationOf } from "../certificate-auth";
import { normaliseFqdn } from "../ingest";
import { asParsed, certificateSummary } from "./certificate-view";
import { type EstateClock, reportingState } from "./filters";

type StoredFacts = NonNullable<HostDetail["storeCertificates"][number]["facts"]> & { sha256: string };

const RECENT_REPORTS = 20;
const RECENT_EVENTS = 50;

/** Everything the host page shows, in a fixed number of queries (no per-certificate lookups). */
export async function hostDetail(db: Database, fqdn: string, clock: EstateClock): Promise<HostDetail> {
  const host = await db.host.findUnique({
    where: { fqdn: normaliseFqdn(fqdn) },
    include: {
      managementGroup: { select: { name: true, certificateAuthRequired: true } },
      findings: { orderBy: { id: "asc" } },
      certificates: {
        include: { certificate: { select: { sha256: true, parsed: true } } },
        orderBy: { firstSeenAt: "desc" },
      },
      bindings: { orderBy: { firstSeenAt: "desc" }, take: 50 },
      reports: {
        orderBy: { collectedAt: "desc" },
        take: RECENT_REPORTS,
        select: { id: true, collectedAt: true, receivedAt: true, status: true, boundCertificateSha256: true },
      },
    },
  });
  if (!host) throw new ProblemError(404, "Host not found", `No host ${fqdn} has reported or been listed.`);

  const newest = host.lastReportAt
    ? await db.report.findUnique({
        where: { hostId_collectedAt: { hostId: host.id, collectedAt: host.lastReportAt } },
        select: { registrySerial: true, registryHash: true, certificates: true, events: true },
      })
    : null;
  const facts = new Map(((newest?.certificates ?? []) as StoredFacts[]).map((item) => [item.sha256, item]));
  const parsedBySha = new Map(
    host.certificates.map((held) => [held.certificate.sha256, asParsed(held.certificate.parsed)]),
  );
  const historyCertificates = await missingCertificates(db, host.bindings, parsedBySha);
  const bound = host.boundCertificateSha256 ? parsedBySha.get(host.boundCertificateSha256) : undefined;

  return {
    host: {
      id: host.id,
      fqdn: host.fqdn,
      role: host.role,
      managementGroup: host.managementGroup?.name ?? null,
      domainJoined: host.domainJoined,
      primaryServer: host.primaryServer,
      expected: host.expected,
      status: host.status,
      reporting: reportingState(host.lastReportAt, clock),
      lastReportAt: host.lastReportAt?.toISOString() ?? null,
      lastReceivedAt: host.lastReceivedAt?.toISOString() ?? null,
      certificateAuthentication: certificateAuthenticationOf(
        host,
        host.managementGroup?.certificateAuthRequired ?? null,
      ),
    },
    findings: sortedFindings(host.findings),
    registry: {
      serialAsStored: newest?.registrySerial ?? null,
      serialAsCertificate: newest?.registrySerial ? safeUnmirror(newest.registrySerial) : null,
      hash: newest?.registryHash ?? null,
    },
    boundCertificate: bound ? certificateSummary(bound, clock.now) : null,
    storeCertificates: host.certificates.map((held) => {
      const { sha256: _sha, ...rest } = facts.get(held.certificate.sha256) ?? { sha256: "" };
      return {
        certificate: certificateSummary(asParsed(held.certificate.parsed), clock.now),
        bound: held.certificate.sha256 === host.boundCertificateSha256,
        facts: facts.has(held.certificate.sha256) ? (rest as StoredFacts) : null,
        firstSeenAt: held.firstSeenAt.toISOString(),
        lastSeenAt: held.lastSeenAt.toISOString(),
      };
    }),
    events: [...((newest?.events ?? []) as HostDetail["events"])]
      .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))
      .slice(0, RECENT_EVENTS),
    serialHistory: host.bindings.map((binding) => {
      const certificate = binding.certificateSha256
        ? (parsedBySha.get(binding.certificateSha256) ?? historyCertificates.get(binding.certificateSha256))
        : undefined;
      return {
        certificateSha256: binding.certificateSha256,
        serialNumber: certificate?.serialNumber ?? null,
        notAfter: certificate ? new Date(certificate.notAfter).toISOString() : null,
        registrySerial: binding.registrySerial,
        firstSeenAt: binding.firstSeenAt.toISOString(),
        lastSeenAt: binding.lastSeenAt.toISOString(),
      };
    }),
    reports: host.reports.map((report) => ({
      id: report.id.toString(),
      collectedAt: report.collectedAt.toISOString(),
      receivedAt: report.receivedAt.toISOString(),
      status: report.status,
      boundCertificateSha256: report.boundCertificateSha256,
    })),
  };
}

/** Certificates of old bindings that are no longer in the store listing (one query for all). */
async function missingCertificates(
  db: Database,
  bindings: { certificateSha256: string | null }[],
  known: Map<string, ParsedCertificate>,
): Promise<Map<string, ParsedCertificate>> {
  const missing = [
    ...new Set(bindings.map((b) => b.certificateSha256).filter((s): s is string => !!s && !known.has(s))),
  ];
  if (missing.length === 0) return new Map();
  const rows = await db.certificate.findMany({
    where: { sha256: { in: missing } },
    select: { sha256: true, parsed: true },
  });
  return new Map(rows.map((row) => [row.sha256, asParsed(row.parsed)]));
}

/** Stored in the order core's evaluation sorted them (severity, then rule), so id order is that order. */
function sortedFindings(findings: Finding[]): Finding[] {
  return findings.map(({ ruleId, severity, message, remediation }) => ({
    ruleId,
    severity,
    message,
    remediation,
  }));
}

function safeUnmirror(registryHex: string): string | null {
  try {
    return mirroredSerialToHex(registryHex);
  } catch {
    return null;
  }
}
