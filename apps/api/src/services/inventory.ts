import type { HostRole } from "@certfleet/contracts";
import type { Database, Prisma } from "@certfleet/db";
import { normaliseFqdn } from "./ingest";

/** A host an inventory (CMDB, SCOM console export) says should exist. */
export interface ExpectedHost {
  fqdn: string;
  role: HostRole;
  managementGroup?: string | null;
  domainJoined: boolean;
  primaryServer?: string | null;
  /**
   * Whether the host needs a channel certificate, when the inventory knows (a domain agent whose
   * management servers are in a trusted domain: false). Written as the per-host setting; absent or
   * null leaves the stored setting as it is.
   */
  certificateAuthRequired?: boolean | null;
}

export interface InventoryOutcome {
  /** Hosts that had never reported: created with no status. */
  created: number;
  /** Hosts already known (reported, or listed before) the inventory changed: now expected, back, or corrected. */
  marked: number;
}

/**
 * Marks hosts as expected, creating those never seen (status null: "expected, never reported"), and brings
 * back any an earlier import retired. Reported facts win over the inventory: for a host that has reported,
 * only `expected` changes (and the certificate authentication setting, when the inventory gives one: it is
 * a setting, not a reported fact); a host that never reported takes role, group and primary server from
 * the inventory, its only source. One statement per table, so a 200,000-host inventory is a few round
 * trips, not one per host.
 */
export async function registerExpectedHosts(
  db: Database | Prisma.TransactionClient,
  hosts: ExpectedHost[],
): Promise<InventoryOutcome> {
  const byFqdn = new Map(hosts.map((host) => [normaliseFqdn(host.fqdn), host]));
  if (byFqdn.size === 0) return { created: 0, marked: 0 };
  const groups = [...new Set([...byFqdn.values()].map((host) => host.managementGroup ?? null))].filter(
    (name): name is string => name !== null,
  );
  if (groups.length > 0) {
    await db.$executeRaw`
      INSERT INTO "ManagementGroup" ("name") SELECT unnest(${groups}::text[])
      ON CONFLICT ("name") DO NOTHING`;
  }
  const fqdns = [...byFqdn.keys()];
  const rows = [...byFqdn.values()];
  const result = await db.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO "Host" ("fqdn", "role", "managementGroupId", "domainJoined", "primaryServer", "expected",
      "certificateAuthSetting", "updatedAt")
    SELECT item.fqdn, item.role::"HostRole", mg."id", item.domain_joined, item.primary_server, true,
      item.certificate_auth, now()
    FROM unnest(
      ${fqdns}::text[],
      ${rows.map((host) => host.role)}::text[],
      ${rows.map((host) => host.managementGroup ?? null)}::text[],
      ${rows.map((host) => host.domainJoined)}::boolean[],
      ${rows.map((host) => host.primaryServer ?? null)}::text[],
      ${rows.map((host) => host.certificateAuthRequired ?? null)}::boolean[]
    ) AS item(fqdn, role, management_group, domain_joined, primary_server, certificate_auth)
    LEFT JOIN "ManagementGroup" mg ON mg."name" = item.management_group
    ON CONFLICT ("fqdn") DO UPDATE SET "expected" = true, "updatedAt" = now(), "retiredAt" = NULL,
      "role" = CASE WHEN "Host"."lastReportAt" IS NULL THEN EXCLUDED."role" ELSE "Host"."role" END,
      "managementGroupId" = CASE WHEN "Host"."lastReportAt" IS NULL
        THEN EXCLUDED."managementGroupId" ELSE "Host"."managementGroupId" END,
      "primaryServer" = CASE WHEN "Host"."lastReportAt" IS NULL
        THEN EXCLUDED."primaryServer" ELSE "Host"."primaryServer" END,
      "certificateAuthSetting" = COALESCE(EXCLUDED."certificateAuthSetting", "Host"."certificateAuthSetting")
    -- A host the inventory changes nothing about is not rewritten: re-importing the same 200,000 hosts is a read.
    WHERE NOT "Host"."expected" OR "Host"."retiredAt" IS NOT NULL
      OR (EXCLUDED."certificateAuthSetting" IS NOT NULL
        AND EXCLUDED."certificateAuthSetting" IS DISTINCT FROM "Host"."certificateAuthSetting")
      OR ("Host"."lastReportAt" IS NULL AND ("Host"."role" <> EXCLUDED."role"
        OR "Host"."managementGroupId" IS DISTINCT FROM EXCLUDED."managementGroupId"
        OR "Host"."primaryServer" IS DISTINCT FROM EXCLUDED."primaryServer"))
    RETURNING (xmax = 0) AS inserted`;
  const created = result.filter((row) => row.inserted).length;
  return { created, marked: result.length - created };
}
