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
