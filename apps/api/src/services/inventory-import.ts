import {
  INVENTORY_RETIRED_LISTED,
  type InventoryImport,
  type InventoryImportResult,
} from "@certfleet/contracts";
import type { Database, Prisma } from "@certfleet/db";
import { ProblemError } from "../problem";
import { type AuditActor, recordAudit } from "./audit";
import { recordChangeEvents } from "./change-events";
import { type ExpectedHost, registerExpectedHosts } from "./inventory";
import { parseInventorySource } from "./inventory-csv";

type Tx = Prisma.TransactionClient;

/** Why the open task of a host the import retired is cancelled (task history and audit show it). */
export const RETIRED_TASK_REASON = "retired by inventory import";
/** A 200,000-host import is a handful of statements, but each touches every row: more than Prisma's 5 s. */
const IMPORT_TIMEOUT_MS = 120_000;

/**
 * Imports SCOM's inventory: a snapshot of every management group the CSVs name. Hosts in it become
 * expected (a retired one comes back); an expected host of a named group that is missing is retired and its
 * open renewal task cancelled. A CSV with a bad row is refused whole (422, nothing written); `dryRun`
 * answers the same counts and writes nothing. Set-based throughout: the cost is a few statements whatever
 * the size of the inventory.
 */
export async function importInventory(
  db: Database,
  actor: AuditActor,
  body: InventoryImport,
): Promise<InventoryImportResult> {
  const hosts = parseSources(body);
  const dryRun = body.dryRun === true;
  if (dryRun) return plan(db, hosts, true);
  return db.$transaction(
    async (tx) => {
      // One import at a time: a second one would count against hosts the first is still changing.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('certfleet.inventory.import'))`;
      const result = await plan(tx, hosts, false);
      const retiredIds = await retire(tx, result.retiredHostIds);
      const cancelled = await cancelRetiredTasks(tx, retiredIds, actor);
      await registerExpectedHosts(tx, hosts);
      const { retiredHostIds: _ids, restoredHostIds, ...answer } = result;
      await recordAudit(tx, actor, {
        action: "inventory.import",
        entityType: "inventory",
        after: {
          sources: body.sources.map((source) => source.name),
          added: answer.added,
          updated: answer.updated,
          unchanged: answer.unchanged,
          retired: answer.retired,
          restored: answer.restored,
          cancelledTasks: cancelled.length,
          byManagementGroup: answer.byManagementGroup,
        },
      });
      await recordChangeEvents(tx, [
        ...[...retiredIds, ...restoredHostIds].map((hostId) => ({ hostId, taskId: null })),
        ...cancelled.map((task) => ({ hostId: task.hostId, taskId: task.id })),
      ]);
      return answer;
    },
    { timeout: IMPORT_TIMEOUT_MS, maxWait: IMPORT_TIMEOUT_MS },
  );
}

/** Every source parsed, or 422 naming each bad line and column. A host in two sources: the later wins. */
function parseSources(body: InventoryImport): ExpectedHost[] {
  const byFqdn = new Map<string, ExpectedHost>();
  const errors = body.sources.flatMap((source, index) => {
    const parsed = parseInventorySource(source, index);
    for (const host of parsed.hosts) byFqdn.set(host.fqdn, host);
    return parsed.errors;
  });
  if (errors.length > 0) {
    throw new ProblemError(
      422,
      "Inventory rows refused",
      `${errors.length} problem(s) in the CSV; nothing was imported.`,
      errors,
    );
  }
  return [...byFqdn.values()];
}

type Plan = InventoryImportResult & { retiredHostIds: number[]; restoredHostIds: number[] };

/** What the import changes, read before anything is written: the preview and the real import share it. */
async function plan(db: Database | Tx, hosts: ExpectedHost[], dryRun: boolean): Promise<Plan> {
  const fqdns = hosts.map((host) => host.fqdn);
  const groupOf = hosts.map((host) => host.managementGroup ?? null);
  const named = [...new Set(groupOf.filter((name): name is string => name !== null))].sort();
  const [perGroup, restoredRows, retiredRows] = await Promise.all([
    db.$queryRaw<{ group: string | null; total: number; added: number; updated: number; restored: number }[]>`
      SELECT i.mg AS "group", count(*)::int AS total,
        count(*) FILTER (WHERE h.id IS NULL)::int AS added,
        count(*) FILTER (WHERE h."retiredAt" IS NOT NULL)::int AS restored,
        count(*) FILTER (WHERE h.id IS NOT NULL AND h."retiredAt" IS NULL AND (NOT h.expected OR
          (h."lastReportAt" IS NULL AND (h.role::text <> i.role OR g.name IS DISTINCT FROM i.mg
            OR h."primaryServer" IS DISTINCT FROM i.primary_server))))::int AS updated
      FROM unnest(${fqdns}::text[], ${hosts.map((host) => host.role)}::text[], ${groupOf}::text[],
        ${hosts.map((host) => host.primaryServer ?? null)}::text[]) AS i(fqdn, role, mg, primary_server)
      LEFT JOIN "Host" h ON h.fqdn = i.fqdn
      LEFT JOIN "ManagementGroup" g ON g.id = h."managementGroupId"
      GROUP BY i.mg`,
    db.$queryRaw<{ id: number }[]>`
      SELECT h.id FROM "Host" h JOIN unnest(${fqdns}::text[]) AS i(fqdn) ON i.fqdn = h.fqdn
      WHERE h."retiredAt" IS NOT NULL`,
    // Anti-join on the imported names (hashed), not `<> ALL`, which is a scan per host.
    db.$queryRaw<{ id: number; fqdn: string; group: string }[]>`
      SELECT h.id, h.fqdn, g.name AS "group" FROM "Host" h
      JOIN "ManagementGroup" g ON g.id = h."managementGroupId"
      WHERE g.name = ANY(${named}::text[]) AND h.expected AND h."retiredAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM unnest(${fqdns}::text[]) AS i(fqdn) WHERE i.fqdn = h.fqdn)
      ORDER BY h.fqdn`,
  ]);
  const sum = (key: "total" | "added" | "updated" | "restored") =>
    perGroup.reduce((total, row) => total + row[key], 0);
  const retiredIn = (group: string) => retiredRows.filter((row) => row.group === group).length;
  return {
    dryRun,
    added: sum("added"),
    updated: sum("updated"),
    unchanged: sum("total") - sum("added") - sum("updated") - sum("restored"),
    retired: retiredRows.length,
    restored: sum("restored"),
    byManagementGroup: named.map((group) => {
      const row = perGroup.find((item) => item.group === group);
      return {
        managementGroup: group,
        added: row?.added ?? 0,
        retired: retiredIn(group),
        total: row?.total ?? 0,
      };
    }),
    retiredHosts: retiredRows.slice(0, INVENTORY_RETIRED_LISTED).map((row) => row.fqdn),
    errors: [],
    retiredHostIds: retiredRows.map((row) => row.id),
    restoredHostIds: restoredRows.map((row) => row.id),
  };
}

async function retire(tx: Tx, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: number }[]>`
    UPDATE "Host" SET "retiredAt" = now(), "updatedAt" = now()
    WHERE id = ANY(${ids}::int[]) AND "retiredAt" IS NULL RETURNING id`;
  return rows.map((row) => row.id);
}

/**
 * Cancels the open renewal task of each retired host and audits each as `task.cancel` with the reason, in
 * one statement: the task history reads the audit trail, so the reason shows there.
 */
async function cancelRetiredTasks(
  tx: Tx,
  hostIds: number[],
  actor: AuditActor,
): Promise<{ id: number; hostId: number }[]> {
  if (hostIds.length === 0) return [];
  return tx.$queryRaw<{ id: number; hostId: number }[]>`
    WITH open AS (
      SELECT id, status::text AS status, version FROM "RenewalTask"
      WHERE "hostId" = ANY(${hostIds}::int[]) AND status NOT IN ('done', 'cancelled')
      FOR UPDATE
    ), cancelled AS (
      UPDATE "RenewalTask" t SET status = 'cancelled', "closedAt" = now(), "updatedAt" = now(),
        version = t.version + 1
      FROM open WHERE t.id = open.id
      RETURNING t.id, t."hostId", open.status AS "before", open.version AS "beforeVersion"
    ), audited AS (
      INSERT INTO "AuditEvent" ("actorId", "actorEmail", "ip", "action", "entityType", "entityId", "before", "after")
      SELECT ${actor.id > 0 ? actor.id : null}::int, ${actor.email}, ${actor.ip}, 'task.cancel', 'task', c.id::text,
        jsonb_build_object('status', c."before", 'version', c."beforeVersion"),
        jsonb_build_object('status', 'cancelled', 'version', c."beforeVersion" + 1, 'reason', ${RETIRED_TASK_REASON}::text)
      FROM cancelled c
      RETURNING 1
    )
    SELECT id, "hostId" FROM cancelled`;
}
