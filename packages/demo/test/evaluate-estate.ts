/**
 * Evaluates generated reports the way ingest does (bound certificate, other hosts bound to the same
 * certificate that are not silent, reported CA certificates as issuer candidates), without a database: the
 * newest evaluation per host.
 */
import type { Report } from "@certfleet/contracts";
import {
  evaluateHost,
  findBoundCertificate,
  type HostEvaluation,
  type ParsedCertificate,
  parseCertificate,
} from "@certfleet/core";

/** CERTFLEET_SILENT_AFTER_HOURS's default: holders silent longer do not count for the duplicate rule. */
const SILENT_AFTER_MS = 48 * 3_600_000;

export function evaluateEstate(reports: Report[]): Map<string, HostEvaluation> {
  const parsed = new Map<string, ParsedCertificate>();
  const boundOn = new Map<string, { sha: string; at: number }>();
  const newest = new Map<string, HostEvaluation>();
  for (const report of reports) {
    const evidence = report.certificates.map(({ der, ...facts }) => {
      const certificate = parsed.get(der) ?? parseCertificate(Buffer.from(der, "base64"));
      parsed.set(der, certificate);
      return { certificate, facts };
    });
    const sha = findBoundCertificate(report.registry, evidence)?.evidence.certificate.sha256;
    const cutoff = Date.parse(report.collectedAt) - SILENT_AFTER_MS;
    const others = [...boundOn].filter(
      ([fqdn, bound]) => bound.sha === sha && bound.at >= cutoff && fqdn !== report.host.fqdn,
    );
    const evaluation = evaluateHost({
      host: report.host,
      registry: report.registry,
      certificates: evidence,
      events: report.events,
      collectedAt: new Date(report.collectedAt),
      settings: { expiryWarningDays: 30, trustAnchors: [] },
      otherHostsBoundToSameCertificate: others.map(([fqdn]) => fqdn),
      issuerCandidates: evidence.map((item) => item.certificate).filter((certificate) => certificate.isCa),
    });
    if (sha) boundOn.set(report.host.fqdn, { sha, at: Date.parse(report.collectedAt) });
    else boundOn.delete(report.host.fqdn);
    newest.set(report.host.fqdn, evaluation);
  }
  return newest;
}
