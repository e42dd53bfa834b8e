import type { HostRole } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import { normaliseFqdn } from "./ingest";

/** A host an inventory (CMDB, SCOM console export) says should exist. */
export interface ExpectedHost {
  fqdn: string;
  role: HostRole;
  managementGroup?: string | null;
  domainJoined: boolean;
  primaryServer?: string | null;
}

export interface InventoryOutcome {
  /** Hosts that had never reported: created with no status. */
  created: number;
  /** Hosts already known (reported, or listed before): now marked expected. */
  marked: number;
}

/**
 * Marks hosts as expected, creating those never seen (status null: "expected, never reported").
 * Reported facts win over the inventory: for a known host only `expected` changes. One statement per
 * table, so a 200,000-host inventory is a few round trips, not one per host.
 */
export async function registerExpectedHosts(db: Database, hosts: ExpectedHost[]): Promise<InventoryOutcome> {
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
    INSERT INTO "Host" ("fqdn", "role", "managementGroupId", "domainJoined", "primaryServer", "expected", "updatedAt")
    SELECT item.fqdn, item.role::"HostRole", mg."id", item.domain_joined, item.primary_server, true, now()
    FROM unnest(
      ${fqdns}::text[],
      ${rows.map((host) => host.role)}::text[],
      ${rows.map((host) => host.managementGroup ?? null)}::text[],
      ${rows.map((host) => host.domainJoined)}::boolean[],
      ${rows.map((host) => host.primaryServer ?? null)}::text[]
    ) AS item(fqdn, role, management_group, domain_joined, primary_server)
    LEFT JOIN "ManagementGroup" mg ON mg."name" = item.management_group
    ON CONFLICT ("fqdn") DO UPDATE SET "expected" = true, "updatedAt" = now()
    RETURNING (xmax = 0) AS inserted`;
  const created = result.filter((row) => row.inserted).length;
  return { created, marked: result.length - created };
}
