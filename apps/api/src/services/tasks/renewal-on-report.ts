import type { ConnectorEvent, Finding, TaskStatus } from "@certfleet/contracts";
import {
  DEFAULT_RENEWAL_POLICY,
  decideRenewalTask,
  type HostRenewalState,
  type TaskDecision,
} from "@certfleet/core";
import type { Prisma } from "@certfleet/db";
import { recordAudit } from "../audit";
import { dueDaysFrom, RENEWAL_DUE_DAYS_KEY } from "../settings";

type Tx = Prisma.TransactionClient;

export interface ReportedRenewalState {
  boundSha256: string | null;
  boundNotAfter: Date | null;
  boundNotBefore: Date | null;
  /** When the collector read the host: the binding's first sighting if this report is the first to show it. */
  collectedAt: Date;
  findings: Finding[];
  events: ConnectorEvent[];
  /** The collector token whose report drives the change; null for demo and seeded reports. */
  reportedBy: ReportedBy | null;
}

/** How an automatic change names its cause in the audit log: certfleet, acting on this token's report. */
export interface ReportedBy {
  tokenId: number;
  tokenName: string;
}

const attribution = (state: ReportedRenewalState) =>
  state.reportedBy ? { reportedBy: state.reportedBy } : {};

interface LatestTaskRow {
  hostId: number;
  id: number | null;
  status: TaskStatus | null;
  certificateSha256: string | null;
  resolvedCertificateSha256: string | null;
  version: number | null;
  dueDays: unknown;
  /** The host's current binding (the serial history's newest row; ingest wrote it for this report). */
  bindingSha256: string | null;
  bindingFirstSeenAt: Date | null;
}

/** A host's newest task as decideRenewalTask reads it, with the version an automatic change must match. */
interface LatestTask {
  id: number;
  status: TaskStatus;
  certificateSha256: string | null;
  resolvedCertificateSha256: string | null;
  version: number;
}

const toLatest = (row: LatestTaskRow | undefined): LatestTask | null =>
  row?.id != null && row.status != null && row.version != null
    ? {
        id: row.id,
        status: row.status,
        certificateSha256: row.certificateSha256,
        resolvedCertificateSha256: row.resolvedCertificateSha256,
        version: row.version,
      }
    : null;

/**
 * What decideRenewalTask reads: the report's state plus when the binding was first seen. The serial
 * history (HostBinding) says when the first report showing this certificate bound was collected; with no
 * such row for this certificate (a new host, or the history just opened one), this report is the first.
 */
function renewalStateOf(state: ReportedRenewalState, row: LatestTaskRow | undefined): HostRenewalState {
  const seenBefore =
    state.boundSha256 !== null && row?.bindingSha256 === state.boundSha256 ? row.bindingFirstSeenAt : null;
  return {
    boundSha256: state.boundSha256,
    boundNotAfter: state.boundNotAfter,
    boundNotBefore: state.boundNotBefore,
    boundFirstSeenAt: seenBefore ?? state.collectedAt,
    findings: state.findings,
    events: state.events,
  };
}

/**
 * Keeps each host's renewal task in step with its newest report (inside the ingest transaction, under the
 * host's lock): creates one when renewal is needed, closes it when the new certificate is verified,
 * reopens it when the host regresses. The decision is @certfleet/core's; this only reads and writes: one
 * query for every host's newest task, one statement for all new tasks. Closing and reopening check the
 * task's version like a person's change does, so a lead's concurrent edit is never overwritten.
 * Returns the (host, task) pairs that changed.
 */
export async function applyRenewalDecisions(
  tx: Tx,
  hosts: { hostId: number; state: ReportedRenewalState; mayHaveTask: boolean }[],
  now: Date,
): Promise<{ hostId: number; taskId: number }[]> {
  if (hosts.length === 0) return [];
  const known = hosts.filter((host) => host.mayHaveTask).map((host) => host.hostId);
  // A batch of new hosts has no tasks to read: the setting is read only if a task is to be created.
  const rows = known.length ? await latestTasks(tx, known) : [];
  const byHost = new Map(rows.map((row) => [row.hostId, row]));
  let policy = rows.length ? { dueDaysBeforeExpiry: dueDaysFrom(rows[0]?.dueDays) } : null;
  const creates: { hostId: number; state: ReportedRenewalState; decision: CreateDecision }[] = [];
  const changed: { hostId: number; taskId: number }[] = [];
  for (const { hostId, state } of hosts) {
    const row = byHost.get(hostId);
    const latest = toLatest(row);
    const host = renewalStateOf(state, row);
    let decision = decideRenewalTask(latest, host, now, policy ?? DEFAULT_RENEWAL_POLICY);
    if (decision.kind === "create" && policy === null) {
      policy = { dueDaysBeforeExpiry: await dueDaysSetting(tx) };
      decision = decideRenewalTask(latest, host, now, policy);
    }
    if (decision.kind === "none") continue;
    if (decision.kind === "create") creates.push({ hostId, state, decision });
    else if (latest) {
      const taskId = await changeTask(
        tx,
        hostId,
        latest,
        decision,
        state,
        now,
        policy ?? DEFAULT_RENEWAL_POLICY,
      );
      if (taskId !== null) changed.push({ hostId, taskId });
    }
  }
  changed.push(...(await createTasks(tx, creates, now, policy ?? DEFAULT_RENEWAL_POLICY)));
  return changed;
}

/**
 * Each host's newest task and current binding, with the admin's due-date setting (a primary-key lookup)
 * alongside. With
 * `hold` (a re-read after a version mismatch) the tasks are locked until commit, so the second
 * attempt cannot lose again; new tasks are only ever created under the host's lock, which we hold.
 */
async function latestTasks(tx: Tx, hostIds: number[], hold = false): Promise<LatestTaskRow[]> {
  const read = () => tx.$queryRaw<LatestTaskRow[]>`
    SELECT h."hostId", t."id", t."status"::text AS "status", t."certificateSha256",
           t."resolvedCertificateSha256", t."version",
           (SELECT "value" FROM "Setting" WHERE "key" = ${RENEWAL_DUE_DAYS_KEY}) AS "dueDays",
           b."certificateSha256" AS "bindingSha256", b."firstSeenAt" AS "bindingFirstSeenAt"
      FROM unnest(${hostIds}::int[]) AS h("hostId")
      LEFT JOIN LATERAL (
        SELECT * FROM "RenewalTask" WHERE "hostId" = h."hostId" ORDER BY "id" DESC LIMIT 1
      ) AS t ON true
      LEFT JOIN LATERAL (
        SELECT "certificateSha256", "firstSeenAt" FROM "HostBinding"
         WHERE "hostId" = h."hostId" ORDER BY "firstSeenAt" DESC, "id" DESC LIMIT 1
      ) AS b ON true`;
  const rows = await read();
  if (!hold) return rows;
  const ids = rows.flatMap((row) => (row.id === null ? [] : [row.id]));
  if (ids.length === 0) return rows;
  await tx.$executeRaw`SELECT 1 FROM "RenewalTask" WHERE "id" = ANY(${ids}::int[]) FOR UPDATE`;
  return read();
}

async function dueDaysSetting(tx: Tx): Promise<number> {
  const [row] = await tx.$queryRaw<{ value: unknown }[]>`
    SELECT "value" FROM "Setting" WHERE "key" = ${RENEWAL_DUE_DAYS_KEY}`;
  return dueDaysFrom(row?.value);
}

type CreateDecision = Extract<TaskDecision, { kind: "create" }>;
type ChangeDecision = Extract<TaskDecision, { kind: "close" | "reopen" }>;

/**
 * Closes or reopens the host's newest task if it is still at the version the decision was made on. If a
 * person changed it meanwhile, the task is read again (and held) and decided afresh on what they left.
 */
async function changeTask(
  tx: Tx,
  hostId: number,
  latest: LatestTask,
  decision: ChangeDecision,
  state: ReportedRenewalState,
  now: Date,
  policy: { dueDaysBeforeExpiry: number },
): Promise<number | null> {
  if (await write(tx, latest, decision, state, now)) return latest.id;
  return decideAgain(tx, hostId, state, now, policy);
}

/** After losing to a person's change: the host's newest task read again (and held), decided afresh. */
async function decideAgain(
  tx: Tx,
  hostId: number,
  state: ReportedRenewalState,
  now: Date,
  policy: { dueDaysBeforeExpiry: number },
): Promise<number | null> {
  const [row] = await latestTasks(tx, [hostId], true);
  const current = toLatest(row);
  const again = decideRenewalTask(current, renewalStateOf(state, row), now, policy);
  if (again.kind === "none") return null;
  if (again.kind === "create") {
    const [created] = await createTasks(tx, [{ hostId, state, decision: again }], now, policy, false);
    if (!created) throw new Error(`renewal task of host ${hostId} changed while held`);
    return created.taskId;
  }
  if (!current || !(await write(tx, current, again, state, now))) {
    throw new Error(`renewal task of host ${hostId} changed while held`);
  }
  return current.id;
}

/**
 * New tasks (and their audit entries) for every host that needs one, in two statements. A host that got
 * an open task meanwhile (a lead reopened its newest one) is skipped by the insert and decided again.
 */
async function createTasks(
  tx: Tx,
  creates: { hostId: number; state: ReportedRenewalState; decision: CreateDecision }[],
  now: Date,
  policy: { dueDaysBeforeExpiry: number },
  retry = true,
): Promise<{ hostId: number; taskId: number }[]> {
  if (creates.length === 0) return [];
  const rows = creates.map(({ hostId, state, decision }) => ({
    hostId,
    priority: decision.priority,
    ruleId: decision.reason.ruleId,
    severity: decision.reason.severity,
    message: decision.reason.message,
    certificateSha256: state.boundSha256,
    dueAt: decision.dueAt.toISOString(),
  }));
  const created = await tx.$queryRaw<{ id: number; hostId: number }[]>`
    INSERT INTO "RenewalTask" ("hostId", "status", "priority", "reasonRuleId", "reasonSeverity", "reasonMessage",
      "certificateSha256", "dueAt", "createdAt", "updatedAt")
    SELECT t."hostId", 'open', t."priority"::"TaskPriority", t."ruleId", t."severity"::"Severity", t."message",
      t."certificateSha256", t."dueAt", ${now.toISOString()}::timestamp(3), ${now.toISOString()}::timestamp(3)
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t("hostId" int, "priority" text, "ruleId" text,
      "severity" text, "message" text, "certificateSha256" text, "dueAt" timestamp(3))
    ON CONFLICT ("hostId") WHERE "status" NOT IN ('done', 'cancelled') DO NOTHING
    RETURNING "id", "hostId"`;
  const taskIds = new Map(created.map((task) => [task.hostId, task.id]));
  const made = creates.filter(({ hostId }) => taskIds.has(hostId));
  const audits = made.map(({ hostId, state, decision }) => ({
    entityId: String(taskIds.get(hostId)),
    after: {
      status: "open",
      priority: decision.priority,
      reason: decision.reason.ruleId,
      dueAt: decision.dueAt.toISOString(),
      certificateSha256: state.boundSha256,
      ...attribution(state),
    },
  }));
  if (audits.length) {
    await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("at", "action", "entityType", "entityId", "after")
    SELECT ${now.toISOString()}::timestamp(3), 'task.auto_create', 'task', a."entityId", a."after"
    FROM jsonb_to_recordset(${JSON.stringify(audits)}::jsonb) AS a("entityId" text, "after" jsonb)`;
  }
  const changed = made.map(({ hostId }) => ({ hostId, taskId: taskIds.get(hostId) as number }));
  if (!retry) return changed;
  for (const { hostId, state } of creates) {
    if (taskIds.has(hostId)) continue;
    const taskId = await decideAgain(tx, hostId, state, now, policy);
    if (taskId !== null) changed.push({ hostId, taskId });
  }
  return changed;
}

/** Applies a close or reopen only while the task is at `latest.version`; false when someone moved it on. */
async function write(
  tx: Tx,
  latest: LatestTask,
  decision: ChangeDecision,
  state: ReportedRenewalState,
  now: Date,
): Promise<boolean> {
  const id = latest.id;
  const before = {
    status: latest.status,
    version: latest.version,
    resolvedCertificateSha256: latest.resolvedCertificateSha256,
  };
  if (decision.kind === "close") {
    const { count } = await tx.renewalTask.updateMany({
      where: { id, version: latest.version },
      data: {
        status: "done",
        resolvedCertificateSha256: decision.resolvedCertificateSha256,
        closedAt: now,
        version: { increment: 1 },
      },
    });
    if (count === 0) return false;
    await recordAudit(tx, null, {
      action: "task.auto_close",
      entityType: "task",
      entityId: id,
      before,
      after: {
        status: "done",
        version: latest.version + 1,
        resolvedCertificateSha256: decision.resolvedCertificateSha256,
        why: "A report shows the new certificate bound and passing every error rule; its newest certificate-load event is a 20053 newer than the certificate's notBefore and than the first report that showed it bound, and no channel-problem event is newer than that 20053.",
        ...attribution(state),
      },
    });
    return true;
  }
  const { count } = await tx.renewalTask.updateMany({
    where: { id, version: latest.version },
    data: {
      status: "reopened",
      closedAt: null,
      reasonRuleId: decision.reason.ruleId,
      reasonSeverity: decision.reason.severity,
      reasonMessage: decision.reason.message,
      version: { increment: 1 },
    },
  });
  if (count === 0) return false;
  await recordAudit(tx, null, {
    action: "task.auto_reopen",
    entityType: "task",
    entityId: id,
    before,
    after: {
      status: "reopened",
      version: latest.version + 1,
      reason: decision.reason.ruleId,
      message: decision.reason.message,
      ...attribution(state),
    },
  });
  return true;
}
