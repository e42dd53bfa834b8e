import type { Prisma } from "@certfleet/db";

/** The NOTIFY channel every API instance LISTENs on; the payload is empty (rows carry the data). */
export const CHANGE_CHANNEL = "certfleet_changes";

/**
 * Appends a host.updated (or task.updated) event in the caller's transaction and notifies every
 * instance on commit. No lock: concurrent transactions may commit their events out of id order
 * (id 11 visible before id 10), and the reader (ChangeHub) copes with that — it only moves past a
 * missing id once every transaction that was running when it saw the gap has finished (ADR 0004).
 * For that rule to hold, the transaction must own a transaction id *before* it draws an event id,
 * so the first statement assigns one (pg_current_xact_id) along with the notification, which
 * Postgres delivers only on commit whatever its position in the transaction.
 */
export async function recordChangeEvent(
  tx: Prisma.TransactionClient,
  hostId: number,
  taskId: number | null = null,
): Promise<void> {
  await tx.$queryRaw`SELECT pg_current_xact_id()::text AS xid, pg_notify(${CHANGE_CHANNEL}, '')::text AS notified`;
  await tx.changeEvent.create({
    data: { type: taskId === null ? "host.updated" : "task.updated", hostId, taskId },
  });
}
