/**
 * Evaluates generated reports the way ingest does (bound certificate, other hosts bound to the same
 * certificate that are not silent, reported CA certificates as issuer candidates), without a database: the
 * newest evaluation per host.
 */
import type { Report } from "@certfleet/contracts";
import {
  certificateAuthRequirement,
  evaluateHost,
  findBoundCertificate,
  type HostEvaluation,
  type ParsedCertificate,
  parseCertificate,
  primaryManagementGroup,
} from "@certfleet/core";
import { managementGroupSettings } from "../src/index";

/** The group settings the demo seed stores before ingesting (MG-BRANCH: no certificate required). */
const GROUP_SETTINGS = new Map(
  managementGroupSettings().map((group) => [group.name, group.certificateAuthRequired]),
);

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
    const group = primaryManagementGroup(report.host)?.name;
    const authentication = certificateAuthRequirement({
      role: report.host.role,
      domainJoined: report.host.domainJoined,
      groupSetting: group ? (GROUP_SETTINGS.get(group) ?? null) : null,
    });
    const evaluation = evaluateHost({
      host: { ...report.host, certificateAuthRequired: authentication.required },
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
