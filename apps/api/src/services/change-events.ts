import type { Prisma } from "@certfleet/db";

/** The NOTIFY channel every API instance LISTENs on; the payload is empty (rows carry the data). */
export const CHANGE_CHANNEL = "certfleet_changes";
/** Serialises event inserts so ids become visible in id order (see recordChangeEvent). */
const CHANGE_EVENT_LOCK = 0x63666576656e; // "cfeven"

/**
 * Appends a host.updated event in the caller's transaction and notifies every instance on commit.
 * The transaction-scoped advisory lock makes events commit in id order: without it, id 11 could
 * commit before id 10, a listener would move past 10, and that change would never be pushed.
 * Call it last in the transaction so the lock is held only for the commit.
 */
export async function recordChangeEvent(
  tx: Prisma.TransactionClient,
  hostId: number,
  taskId: number | null = null,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_EVENT_LOCK}::bigint)`;
  await tx.changeEvent.create({
    data: { type: taskId === null ? "host.updated" : "task.updated", hostId, taskId },
  });
  await tx.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, '')`;
}

/**
 * The batch form of recordChangeEvent: one event per entry, in order, with the same lock (taken once)
 * and one NOTIFY. Call it last in the transaction, like recordChangeEvent.
 */
export async function recordChangeEvents(
  tx: Prisma.TransactionClient,
  events: { hostId: number; taskId: number | null }[],
): Promise<void> {
  if (events.length === 0) return;
  // One statement: the insert reads from the lock's CTE, so the lock is held before any id is drawn.
  await tx.$executeRaw`
    WITH lock AS (SELECT pg_advisory_xact_lock(${CHANGE_EVENT_LOCK}::bigint)), inserted AS (
      INSERT INTO "ChangeEvent" ("type", "hostId", "taskId")
      SELECT CASE WHEN e."taskId" IS NULL THEN 'host.updated' ELSE 'task.updated' END, e."hostId", e."taskId"
      FROM lock, unnest(${events.map((e) => e.hostId)}::int[], ${events.map((e) => e.taskId)}::int[])
        WITH ORDINALITY AS e("hostId", "taskId", position)
      ORDER BY e.position
      RETURNING 1
    )
    SELECT pg_notify(${CHANGE_CHANNEL}, '') FROM (SELECT count(*) FROM inserted) AS done`;
}
