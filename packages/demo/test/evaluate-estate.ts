/**
 * Evaluates generated reports the way ingest does (bound certificate, other hosts bound to the same
 * certificate, reported CA certificates as issuer candidates), without a database: the newest
 * evaluation per host.
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
    if (sha) boundOn.set(report.host.fqdn, sha);
    else boundOn.delete(report.host.fqdn);
    newest.set(report.host.fqdn, evaluation);
  }
  return newest;
}
