import type { Prisma } from "@certfleet/db";

/** The NOTIFY channel every API instance LISTENs on; the payload is empty (rows carry the data). */
export const CHANGE_CHANNEL = "certfleet_changes";

/**
 * The NOTIFY channel of collector-token changes (revoked, renamed, scope changed). Sent inside the
 * changing transaction, so every instance hears it on commit and drops its cached tokens.
 */
export const TOKEN_CHANNEL = "certfleet_tokens";

/** Tells every instance, on commit, that collector tokens changed (see CollectorTokenCache). */
export async function notifyTokensChanged(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$queryRaw`SELECT pg_notify(${TOKEN_CHANNEL}, '')::text AS notified`;
}

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

/**
 * The batch form of recordChangeEvent: one event per entry, in order, and one NOTIFY, in one statement.
 * Call it last in the transaction, like recordChangeEvent. The transaction must own a transaction id
 * before the ids are drawn (see above): ingest has written its reports by then, which assigns one, and
 * the statement asks for it too (the insert reads from that CTE).
 */
export async function recordChangeEvents(
  tx: Prisma.TransactionClient,
  events: { hostId: number; taskId: number | null }[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.$executeRaw`
    WITH xid AS (SELECT pg_current_xact_id() AS id), inserted AS (
      INSERT INTO "ChangeEvent" ("type", "hostId", "taskId")
      SELECT CASE WHEN e."taskId" IS NULL THEN 'host.updated' ELSE 'task.updated' END, e."hostId", e."taskId"
      FROM xid, unnest(${events.map((e) => e.hostId)}::int[], ${events.map((e) => e.taskId)}::int[])
        WITH ORDINALITY AS e("hostId", "taskId", position)
      ORDER BY e.position
      RETURNING 1
    )
    SELECT pg_notify(${CHANGE_CHANNEL}, '') FROM (SELECT count(*) FROM inserted) AS done`;
}
