/** Writes planned reports down as collector Reports (schema version 1), exactly as a collector would post. */
import type { Report } from "@certfleet/contracts";
import { certificateSerialToRegistryHex } from "@certfleet/core";
import { EVENT_LOADED, LOADED_MESSAGE } from "./facts";
import type { IssuedCertificate } from "./issue";
import type { CertificateSpec, EstatePlan, HostPlan, ReportPlan } from "./plan-types";

export interface IssuedSet {
  ca: IssuedCertificate;
  certificates: Map<number, IssuedCertificate>;
}

/** The certificates a plan needs as DER: those in some store or named by some ChannelCertificateHash. */
export function certificatesToIssue(plan: EstatePlan): CertificateSpec[] {
  const needed = new Set<number>();
  for (const host of plan.hosts) {
    for (const report of host.reports) {
      for (const entry of report.store) if (entry.certificate !== "ca") needed.add(entry.certificate);
      if (report.hash !== null) needed.add(report.hash);
    }
  }
  return plan.certificates.filter((spec) => needed.has(spec.id));
}

function issued(set: IssuedSet, id: number | "ca"): IssuedCertificate {
  const certificate = id === "ca" ? set.ca : set.certificates.get(id);
  if (!certificate) throw new Error(`certificate ${id} was planned but not issued`);
  return certificate;
}

/** What MOMCertImport writes: the serial's bytes reversed, keeping the DER sign byte (unless told not to). */
function registryHex(spec: CertificateSpec, withoutSignByte: boolean): string {
  return certificateSerialToRegistryHex(withoutSignByte ? spec.serialHex : spec.derSerial);
}

export function buildReport(plan: EstatePlan, host: HostPlan, report: ReportPlan, set: IssuedSet): Report {
  const spec = (id: number) => plan.certificates[id] as CertificateSpec;
  const lastWrite = report.registryLastWriteTime;
  return {
    // A report with a 1.1 field says so; the rest of the estate stays on version 1, as old collectors do.
    schemaVersion: lastWrite ? "1.1" : 1,
    collectedAt: report.collectedAt.toISOString(),
    host: {
      fqdn: host.fqdn,
      role: host.role,
      managementGroup: host.managementGroup,
      domainJoined: host.domainJoined,
      primaryServer: host.primaryServer,
    },
    registry: {
      channelCertificateSerialNumber: report.registry
        ? registryHex(spec(report.registry.certificate), report.registry.withoutSignByte ?? false)
        : null,
      channelCertificateHash: report.hash === null ? null : issued(set, report.hash).thumbprint,
      ...(lastWrite ? { lastWriteTime: lastWrite.toISOString() } : {}),
    },
    certificates: report.store.map((entry) => ({
      der: issued(set, entry.certificate).base64,
      ...entry.facts,
    })),
    events: report.events.map((event) => ({
      id: event.id,
      time: event.time.toISOString(),
      message: event.id === EVENT_LOADED ? LOADED_MESSAGE : null,
    })),
  };
}

/** Every report of the estate, oldest first, so each host's history is ingested in the order it happened. */
export function buildReports(plan: EstatePlan, set: IssuedSet): Report[] {
  const all = plan.hosts.flatMap((host) => host.reports.map((report) => ({ host, report })));
  all.sort((a, b) => a.report.collectedAt.getTime() - b.report.collectedAt.getTime());
  return all.map(({ host, report }) => buildReport(plan, host, report, set));
}
