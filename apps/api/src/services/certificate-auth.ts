/**
 * "Certificate authentication required" settings (issue 13): per management group and per host, set by
 * an admin (audited) or an inventory. Core's certificateAuthRequirement decides from them; ingest reads
 * them at every report, so a change applies to a host at its next report (findings, status and the
 * stored usesKerberos flag are the newest report's evaluation, which a setting alone cannot redo).
 */
import type { CertificateAuthentication, ManagementGroup } from "@certfleet/contracts";
import { certificateAuthRequirement, type HostRole } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../problem";
import { type AuditActor, recordAudit } from "./audit";
import { recordChangeEvent } from "./change-events";
import { normaliseFqdn } from "./ingest";

interface HostAuthRow {
  role: HostRole;
  domainJoined: boolean;
  certificateAuthSetting: boolean | null;
  usesKerberos: boolean;
}

/** What the host page shows: the decision now, why, both settings and the newest report's outcome. */
export function certificateAuthenticationOf(
  host: HostAuthRow,
  groupSetting: boolean | null,
): CertificateAuthentication {
  const decision = certificateAuthRequirement({
    role: host.role,
    domainJoined: host.domainJoined,
    hostSetting: host.certificateAuthSetting,
    groupSetting,
  });
  return {
    required: decision.required,
    reason: decision.reason,
    hostSetting: host.certificateAuthSetting,
    groupSetting,
    usesKerberos: host.usesKerberos,
  };
}

export async function listManagementGroups(db: Database): Promise<ManagementGroup[]> {
  return db.$queryRaw<ManagementGroup[]>`
    SELECT g."id", g."name", g."certificateAuthRequired", count(h."id")::int AS "hosts",
      (count(h."id") FILTER (WHERE h."usesKerberos"))::int AS "usesKerberos"
    FROM "ManagementGroup" g LEFT JOIN "Host" h ON h."managementGroupId" = g."id"
    GROUP BY g."id" ORDER BY g."name"`;
}

/** Sets (or clears, with null) a group's setting; the row is locked so the audit's before is true. */
export async function setManagementGroupCertificateAuth(
  db: Database,
  actor: AuditActor,
  id: number,
  required: boolean | null,
): Promise<ManagementGroup> {
  await db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ name: string; certificateAuthRequired: boolean | null }[]>`
      SELECT "name", "certificateAuthRequired" FROM "ManagementGroup" WHERE "id" = ${id} FOR UPDATE`;
    if (!before)
      throw new ProblemError(404, "Management group not found", `No management group has id ${id}.`);
    await tx.managementGroup.update({ where: { id }, data: { certificateAuthRequired: required } });
    await recordAudit(tx, actor, {
      action: "management_group.certificate_auth",
      entityType: "management_group",
      entityId: id,
      before: { name: before.name, certificateAuthRequired: before.certificateAuthRequired },
      after: { name: before.name, certificateAuthRequired: required },
    });
  });
  const groups = await listManagementGroups(db);
  return groups.find((group) => group.id === id) as ManagementGroup;
}

/** Sets (or clears, with null) one host's setting; answers the host's decision with the new value. */
export async function setHostCertificateAuth(
  db: Database,
  actor: AuditActor,
  fqdn: string,
  required: boolean | null,
): Promise<CertificateAuthentication> {
  const name = normaliseFqdn(fqdn);
  return db.$transaction(async (tx) => {
    const [host] = await tx.$queryRaw<(HostAuthRow & { id: number; groupSetting: boolean | null })[]>`
      SELECT h."id", h."role"::text AS "role", h."domainJoined", h."certificateAuthSetting", h."usesKerberos",
        g."certificateAuthRequired" AS "groupSetting"
      FROM "Host" h LEFT JOIN "ManagementGroup" g ON g."id" = h."managementGroupId"
      WHERE h."fqdn" = ${name} FOR UPDATE OF h`;
    if (!host) throw new ProblemError(404, "Host not found", `No host ${fqdn} has reported or been listed.`);
    await tx.host.update({ where: { id: host.id }, data: { certificateAuthSetting: required } });
    await recordAudit(tx, actor, {
      action: "host.certificate_auth",
      entityType: "host",
      // The host's id, as the other host entries (host.collector_tokens) have it; the name alongside.
      entityId: host.id,
      before: { fqdn: name, certificateAuthRequired: host.certificateAuthSetting },
      after: { fqdn: name, certificateAuthRequired: required },
    });
    // Last, as change events must be: open host lists elsewhere refresh the row's decision now. A group
    // change does not (it may touch tens of thousands of rows); its hosts refresh at their next report.
    await recordChangeEvent(tx, host.id);
    return certificateAuthenticationOf({ ...host, certificateAuthSetting: required }, host.groupSetting);
  });
}
