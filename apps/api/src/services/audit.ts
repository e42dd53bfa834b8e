import type { AuditEntry, AuditPage, AuditQuery } from "@certfleet/contracts";
import type { Database, Prisma } from "@certfleet/db";
import { redactChannelSnapshot } from "./notifications/history";

type Writer = Pick<Prisma.TransactionClient, "auditEvent">;

/** Who did something: a signed-in user, or certfleet itself (null) acting on a collector report. */
export interface AuditActor {
  id: number;
  email: string;
  ip: string | null;
}

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry. Pass the transaction that makes the change, so the entry exists exactly when it does. */
export async function recordAudit(db: Writer, actor: AuditActor | null, record: AuditRecord): Promise<void> {
  await db.auditEvent.create({
    data: {
      // id 0: a sign-in attempt for an e-mail that has no account (the e-mail is still recorded).
      actorId: actor && actor.id > 0 ? actor.id : null,
      actorEmail: actor?.email ?? null,
      ip: actor?.ip ?? null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId === undefined || record.entityId === null ? null : String(record.entityId),
      before: toJson(record.before),
      after: toJson(record.after),
    },
  });
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  // Dates and other objects become plain JSON; undefined stays absent (SQL NULL).
  return value === undefined || value === null
    ? undefined
    : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

export function auditWhere(query: AuditQuery): Prisma.AuditEventWhereInput {
  const action = query.action;
  return {
    ...(action ? { action: action.endsWith(".") ? { startsWith: action } : action } : {}),
    ...(query.actor ? { actorEmail: query.actor.toLowerCase() } : {}),
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.from || query.to
      ? {
          at: {
            ...(query.from ? { gte: new Date(query.from) } : {}),
            ...(query.to ? { lt: new Date(query.to) } : {}),
          },
        }
      : {}),
  };
}

/** Newest first; the cursor is the last id seen, so pages stay stable while entries are appended. */
export async function listAudit(db: Database, query: AuditQuery): Promise<AuditPage> {
  const limit = query.limit ?? 100;
  const rows = await db.auditEvent.findMany({
    where: { ...auditWhere(query), ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit).map(toAuditEntry);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export function toAuditEntry(row: {
  id: bigint;
  at: Date;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}): AuditEntry {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actorEmail,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: redact(row.entityType, row.before ?? null),
    after: redact(row.entityType, row.after ?? null),
    ip: row.ip,
  };
}

/** Webhook URLs may carry a token in their path: the log (and its export) shows scheme and host only. */
function redact(entityType: string, snapshot: unknown): unknown {
  return entityType === "notification_channel" ? redactChannelSnapshot(snapshot) : snapshot;
}

/** Every matching entry, oldest first, in batches: an export of a year's log never sits in memory. */
export async function* auditRows(db: Database, query: AuditQuery, batch = 1000): AsyncGenerator<AuditEntry> {
  let after = 0n;
  const where = auditWhere(query);
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { ...where, id: { gt: after } },
      orderBy: { id: "asc" },
      take: batch,
    });
    for (const row of rows) yield toAuditEntry(row);
    const last = rows.at(-1);
    if (!last || rows.length < batch) return;
    after = last.id;
  }
}
