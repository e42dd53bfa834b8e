import type { SessionUser, TaskListQuery, TaskPage, TaskPriority, TaskStatus } from "@certfleet/contracts";
import { OPEN_TASK_STATUSES } from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";
import { ProblemError } from "../../problem";
import { TASK_SELECT, toTasks } from "./task-view";

/** Filters, then due date (soonest first) and id: overdue and urgent work comes first. */
export async function listTasks(
  db: Database,
  query: TaskListQuery,
  viewer: SessionUser,
  now: Date,
): Promise<TaskPage> {
  const limit = query.limit ?? 100;
  const where = taskWhere(query, viewer, now);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const [rows, total] = await Promise.all([
    db.renewalTask.findMany({
      where: after
        ? {
            AND: [
              where,
              { OR: [{ dueAt: { gt: after.dueAt } }, { dueAt: after.dueAt, id: { gt: after.id } }] },
            ],
          }
        : where,
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: limit + 1,
      select: TASK_SELECT,
    }),
    db.renewalTask.count({ where }),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await toTasks(db, page, viewer, now),
    total,
    nextCursor: rows.length > limit && last ? encodeCursor(last.dueAt, last.id) : null,
  };
}

export function taskWhere(
  query: TaskListQuery,
  viewer: SessionUser,
  now: Date,
): Prisma.RenewalTaskWhereInput {
  const conditions: Prisma.RenewalTaskWhereInput[] = [];
  if (query.status) {
    const statuses = new Set<TaskStatus>();
    for (const value of query.status.split(",")) {
      if (value === "active") for (const status of OPEN_TASK_STATUSES) statuses.add(status);
      else statuses.add(value as TaskStatus);
    }
    conditions.push({ status: { in: [...statuses] } });
  }
  if (query.assignee === "me") conditions.push({ assigneeId: viewer.id });
  else if (query.assignee === "none") conditions.push({ assigneeId: null });
  else if (query.assignee) conditions.push({ assigneeId: Number(query.assignee) });
  if (query.host) conditions.push({ host: { fqdn: query.host.toLowerCase() } });
  if (query.priority) conditions.push({ priority: { in: query.priority.split(",") as TaskPriority[] } });
  if (query.overdue === true)
    conditions.push({ status: { in: [...OPEN_TASK_STATUSES] }, dueAt: { lt: now } });
  if (query.overdue === false) {
    conditions.push({ OR: [{ status: { notIn: [...OPEN_TASK_STATUSES] } }, { dueAt: { gte: now } }] });
  }
  return conditions.length ? { AND: conditions } : {};
}

function encodeCursor(dueAt: Date, id: number): string {
  return Buffer.from(`${dueAt.toISOString()}|${id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { dueAt: Date; id: number } {
  const [due, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const dueAt = new Date(due ?? "");
  const taskId = Number(id);
  if (Number.isNaN(dueAt.getTime()) || !Number.isInteger(taskId)) {
    throw new ProblemError(400, "Invalid request", "cursor is not a cursor this API issued", [
      { field: "cursor", message: "is not a cursor this API issued" },
    ]);
  }
  return { dueAt, id: taskId };
}
