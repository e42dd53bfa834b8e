import type { ConnectorEvent, Finding, TaskStatus } from "@certfleet/contracts";
import { decideRenewalTask, type TaskDecision } from "@certfleet/core";
import type { Prisma } from "@certfleet/db";
import { recordAudit } from "../audit";
import { recordChangeEvent } from "../change-events";
import { dueDaysFrom, RENEWAL_DUE_DAYS_KEY } from "../settings";

type Tx = Prisma.TransactionClient;

export interface ReportedRenewalState {
  boundSha256: string | null;
  boundNotAfter: Date | null;
  findings: Finding[];
  events: ConnectorEvent[];
  /** The collector token whose report drives the change (null for demo and seeded reports). */
  tokenId: number | null;
}

/** How an automatic change names its cause in the audit log: certfleet, acting on this token's report. */
interface ReportedBy {
  tokenId: number;
  tokenName: string;
}

async function reportedBy(tx: Tx, tokenId: number | null): Promise<ReportedBy | null> {
  if (tokenId === null) return null;
  const token = await tx.apiToken.findUnique({ where: { id: tokenId }, select: { name: true } });
  return token ? { tokenId, tokenName: token.name } : null;
}

/**
 * Keeps the host's renewal task in step with its newest report (inside the ingest transaction):
 * creates one when renewal is needed, closes it when the new certificate is verified, reopens it
 * when the host regresses. The decision is @certfleet/core's; this only reads and writes.
 * Returns the task id that changed, if any.
 */
export async function applyRenewalDecision(
  tx: Tx,
  hostId: number,
  state: ReportedRenewalState,
  now: Date,
): Promise<number | null> {
  // Raw and in one round trip: this runs for every report, and a typed query costs ~1 ms of CPU in
  // Prisma's compiler. The admin's due-date setting comes along (a primary-key lookup).
  const [row] = await tx.$queryRaw<
    {
      id: number | null;
      status: TaskStatus | null;
      certificateSha256: string | null;
      resolvedCertificateSha256: string | null;
      dueDays: unknown;
    }[]
  >`SELECT t."id", t."status"::text AS "status", t."certificateSha256", t."resolvedCertificateSha256",
           (SELECT "value" FROM "Setting" WHERE "key" = ${RENEWAL_DUE_DAYS_KEY}) AS "dueDays"
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (
        SELECT * FROM "RenewalTask" WHERE "hostId" = ${hostId} ORDER BY "id" DESC LIMIT 1
      ) AS t ON true`;
  const latest =
    row?.id != null && row.status != null
      ? {
          id: row.id,
          status: row.status,
          certificateSha256: row.certificateSha256,
          resolvedCertificateSha256: row.resolvedCertificateSha256,
        }
      : null;
  const decision = decideRenewalTask(latest, state, now, { dueDaysBeforeExpiry: dueDaysFrom(row?.dueDays) });
  if (decision.kind === "none") return null;
  const by = await reportedBy(tx, state.tokenId);
  const taskId = await write(tx, hostId, latest?.id ?? null, decision, state, now, by);
  await recordChangeEvent(tx, hostId, taskId);
  return taskId;
}

async function write(
  tx: Tx,
  hostId: number,
  latestId: number | null,
  decision: Exclude<TaskDecision, { kind: "none" }>,
  state: ReportedRenewalState,
  now: Date,
  by: ReportedBy | null,
): Promise<number> {
  const attribution = by ? { reportedBy: by } : {};
  if (decision.kind === "create") {
    const task = await tx.renewalTask.create({
      data: {
        hostId,
        status: "open",
        priority: decision.priority,
        reasonRuleId: decision.reason.ruleId,
        reasonSeverity: decision.reason.severity,
        reasonMessage: decision.reason.message,
        certificateSha256: state.boundSha256,
        dueAt: decision.dueAt,
      },
      select: { id: true },
    });
    await recordAudit(tx, null, {
      action: "task.auto_create",
      entityType: "task",
      entityId: task.id,
      after: {
        status: "open",
        priority: decision.priority,
        reason: decision.reason.ruleId,
        dueAt: decision.dueAt.toISOString(),
        certificateSha256: state.boundSha256,
        ...attribution,
      },
    });
    return task.id;
  }
  const id = latestId as number;
  const before = await tx.renewalTask.findUniqueOrThrow({
    where: { id },
    select: { status: true, version: true, resolvedCertificateSha256: true },
  });
  if (decision.kind === "close") {
    await tx.renewalTask.update({
      where: { id },
      data: {
        status: "done",
        resolvedCertificateSha256: decision.resolvedCertificateSha256,
        closedAt: now,
        version: { increment: 1 },
      },
    });
    await recordAudit(tx, null, {
      action: "task.auto_close",
      entityType: "task",
      entityId: id,
      before,
      after: {
        status: "done",
        version: before.version + 1,
        resolvedCertificateSha256: decision.resolvedCertificateSha256,
        why: "A report shows the new certificate bound, passing every error rule, with event 20053 after the import.",
        ...attribution,
      },
    });
    return id;
  }
  await tx.renewalTask.update({
    where: { id },
    data: {
      status: "reopened",
      closedAt: null,
      reasonRuleId: decision.reason.ruleId,
      reasonSeverity: decision.reason.severity,
      reasonMessage: decision.reason.message,
      version: { increment: 1 },
    },
  });
  await recordAudit(tx, null, {
    action: "task.auto_reopen",
    entityType: "task",
    entityId: id,
    before,
    after: {
      status: "reopened",
      version: before.version + 1,
      reason: decision.reason.ruleId,
      message: decision.reason.message,
      ...attribution,
    },
  });
  return id;
}
