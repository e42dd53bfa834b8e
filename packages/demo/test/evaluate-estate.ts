/**
 * Evaluates generated reports the way ingest does (bound certificate, other hosts bound to the same
 * certificate, reported CA certificates as issuer candidates), without a database: the newest
 * evaluation per host.
 */
import type { Report } from "@certfleet/contracts";
import {
  evaluateHost,
  findBoundCertificate,
  type HostEvaluation,
  type ParsedCertificate,
  parseCertificate,
} from "@certfleet/core";

export function evaluateEstate(reports: Report[]): Map<string, HostEvaluation> {
  const parsed = new Map<string, ParsedCertificate>();
  const boundOn = new Map<string, string>();
  const newest = new Map<string, HostEvaluation>();
  for (const report of reports) {
    const evidence = report.certificates.map(({ der, ...facts }) => {
      const certificate = parsed.get(der) ?? parseCertificate(Buffer.from(der, "base64"));
      parsed.set(der, certificate);
      return { certificate, facts };
    });
    const sha = findBoundCertificate(report.registry, evidence)?.evidence.certificate.sha256;
    const others = [...boundOn].filter(([fqdn, bound]) => bound === sha && fqdn !== report.host.fqdn);
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
    if (sha) boundOn.set(report.host.fqdn, sha);
    else boundOn.delete(report.host.fqdn);
    newest.set(report.host.fqdn, evaluation);
  }
  return newest;
}
