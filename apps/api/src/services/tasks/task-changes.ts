import type {
  BulkAssignResult,
  SessionUser,
  Task,
  TaskTransitionBody,
  TaskUpdateBody,
} from "@certfleet/contracts";
import { checkTransition, isOpenTaskStatus, roleAtLeast } from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";
import { ProblemError } from "../../problem";
import { type AuditActor, recordAudit } from "../audit";
import { recordChangeEvent } from "../change-events";
import { loadTask, TASK_SELECT, type TaskRow } from "./task-view";

type Tx = Prisma.TransactionClient;

/** The signed-in user acting on a task: who they are for permissions and for the audit log. */
export interface TaskEditor {
  user: SessionUser;
  audit: AuditActor;
}

/** What the audit log keeps of a task before and after a change. */
function taskSnapshot(
  row: Pick<TaskRow, "status" | "priority" | "assigneeId" | "dueAt" | "note" | "version">,
) {
  return {
    status: row.status,
    priority: row.priority,
    assigneeId: row.assigneeId,
    dueAt: row.dueAt.toISOString(),
    note: row.note,
    version: row.version,
  };
}

async function conflict(tx: Tx, id: number, editor: TaskEditor, detail: string): Promise<ProblemError> {
  const current = await loadTask(tx, id, editor.user, new Date());
  return new ProblemError(409, "Task changed meanwhile", detail, undefined, { current });
}

/** The task as the caller last saw it: 404 when it is gone, 409 (with the task now) when it moved on. */
async function taskAtVersion(tx: Tx, id: number, version: number, editor: TaskEditor): Promise<TaskRow> {
  const row = await tx.renewalTask.findUnique({ where: { id }, select: TASK_SELECT });
  if (!row) throw new ProblemError(404, "Task not found", `No renewal task with id ${id}.`);
  if (row.version !== version) {
    throw await conflict(
      tx,
      id,
      editor,
      `You saw version ${version}; the task is at version ${row.version}.`,
    );
  }
  return row;
}

/**
 * Optimistic concurrency: the update only applies while the row still has the version the caller saw.
 * Postgres re-checks the WHERE after waiting for a concurrent writer's row lock, so of two leads
 * assigning at once exactly one update matches; the other gets 409 with the task as it now is.
 */
async function applyIfUnchanged(
  tx: Tx,
  row: TaskRow,
  expectedVersion: number,
  editor: TaskEditor,
  data: Prisma.RenewalTaskUpdateManyMutationInput & { assigneeId?: number | null },
): Promise<void> {
  const { count } = await tx.renewalTask.updateMany({
    where: { id: row.id, version: expectedVersion },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 0) {
    throw await conflict(
      tx,
      row.id,
      editor,
      "Someone else changed this task first; review it and try again.",
    );
  }
}

/**
 * Only a host's newest task can be reopened: an older one describes work that a newer task took over
 * (and reopening it beside an open newer one would break "one open task per host").
 */
async function assertNewestTask(tx: Tx, id: number, hostId: number, editor: TaskEditor): Promise<void> {
  const newer = await tx.renewalTask.findFirst({
    where: { hostId, id: { gt: id } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  if (newer) {
    throw await conflict(
      tx,
      id,
      editor,
      `Task ${newer.id} is this host's newest renewal task; only the newest can be reopened.`,
    );
  }
}

async function assertAssignable(tx: Tx, assigneeId: number | undefined): Promise<number> {
  if (assigneeId === undefined) {
    throw new ProblemError(422, "Assignee required", "Name the person to assign the task to.", [
      { field: "assigneeId", message: "is required to assign a task" },
    ]);
  }
  const person = await tx.user.findUnique({
    where: { id: assigneeId },
    select: { role: true, disabledAt: true },
  });
  if (!person || person.disabledAt || !roleAtLeast(person.role, "operator")) {
    throw new ProblemError(
      422,
      "Cannot assign to this user",
      "Tasks go to enabled operators, leads or admins.",
      [{ field: "assigneeId", message: "is not an enabled operator, lead or admin" }],
    );
  }
  return assigneeId;
}

export async function transitionTask(
  db: Database,
  editor: TaskEditor,
  id: number,
  body: TaskTransitionBody,
): Promise<Task> {
  const taskId = await db.$transaction(async (tx) => {
    const row = await taskAtVersion(tx, id, body.version, editor);
    const check = checkTransition({ status: row.status, assigneeId: row.assigneeId }, body.action, {
      userId: editor.user.id,
      role: editor.user.role,
    });
    if (!check.ok) {
      if (check.reason === "forbidden") throw new ProblemError(403, "Not allowed", check.message);
      throw await conflict(tx, id, editor, check.message);
    }
    if (body.action === "reopen") await assertNewestTask(tx, id, row.hostId, editor);
    const assigneeId =
      body.action === "assign" ? await assertAssignable(tx, body.assigneeId) : row.assigneeId;
    const closing = !isOpenTaskStatus(check.to);
    await applyIfUnchanged(tx, row, body.version, editor, {
      status: check.to,
      assigneeId,
      closedAt: closing ? new Date() : null,
      ...(body.note !== undefined ? { note: body.note } : {}),
    });
    await recordAudit(tx, editor.audit, {
      action: `task.${body.action}`,
      entityType: "task",
      entityId: id,
      before: taskSnapshot(row),
      after: {
        ...taskSnapshot({ ...row, status: check.to, assigneeId, note: body.note ?? row.note }),
        version: row.version + 1,
      },
    });
    await recordChangeEvent(tx, row.hostId, id);
    return id;
  });
  return (await loadTask(db, taskId, editor.user, new Date())) as Task;
}

/** Leads change priority, due date and note of open tasks. */
export async function updateTask(
  db: Database,
  editor: TaskEditor,
  id: number,
  body: TaskUpdateBody,
): Promise<Task> {
  await db.$transaction(async (tx) => {
    const row = await taskAtVersion(tx, id, body.version, editor);
    if (!isOpenTaskStatus(row.status)) {
      throw await conflict(tx, id, editor, `A task that is ${row.status} cannot be edited; reopen it first.`);
    }
    const dueAt = body.dueAt === undefined ? row.dueAt : new Date(body.dueAt);
    const changes = {
      ...(body.priority !== undefined ? { priority: body.priority } : {}),
      ...(body.dueAt !== undefined ? { dueAt } : {}),
      ...(body.note !== undefined ? { note: body.note } : {}),
    };
    await applyIfUnchanged(tx, row, body.version, editor, changes);
    await recordAudit(tx, editor.audit, {
      action: "task.update",
      entityType: "task",
      entityId: id,
      before: taskSnapshot(row),
      after: { ...taskSnapshot({ ...row, ...changes }), version: row.version + 1 },
    });
    await recordChangeEvent(tx, row.hostId, id);
  });
  return (await loadTask(db, id, editor.user, new Date())) as Task;
}

/** Assigns each task on its own, so one task someone else just closed does not fail the rest. */
export async function bulkAssign(
  db: Database,
  editor: TaskEditor,
  taskIds: number[],
  assigneeId: number,
): Promise<BulkAssignResult> {
  const result: BulkAssignResult = { assigned: [], failed: [] };
  for (const taskId of taskIds) {
    try {
      const row = await db.renewalTask.findUnique({ where: { id: taskId }, select: { version: true } });
      if (!row) throw new ProblemError(404, "Task not found", `No renewal task with id ${taskId}.`);
      result.assigned.push(
        await transitionTask(db, editor, taskId, { action: "assign", version: row.version, assigneeId }),
      );
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      const { current: _current, ...problem } = error.toProblem(`/api/v1/tasks/${taskId}`) as ReturnType<
        ProblemError["toProblem"]
      > & { current?: unknown };
      result.failed.push({ taskId, problem });
    }
  }
  return result;
}
