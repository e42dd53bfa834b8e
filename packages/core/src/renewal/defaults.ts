import { DAY_MS, daysUntil } from "../expiry";
import type { Finding } from "../types";
import { isOpenTaskStatus, type TaskPriority, type TaskStatus } from "./workflow";

/** Aim to finish a week before expiry: room to chase a pending CA approval and still import in time. */
export const TASK_DUE_DAYS_BEFORE_EXPIRY = 7;
/**
 * Never due sooner than this: an expired or nearly expired certificate gets a short deadline someone
 * can still meet, not one that is overdue the moment the task is created.
 */
export const TASK_MIN_DAYS_TO_DUE = 2;
/** A validity warning this close to expiry is high priority; the same 7 days as the "d7" expiry bucket. */
export const TASK_HIGH_PRIORITY_DAYS_LEFT = 7;

/**
 * notAfter minus `daysBeforeExpiry` (7 unless an admin set the renewal.dueDaysBeforeExpiry setting),
 * but never earlier than now + 2 days; now + 2 days when the expiry is unknown.
 */
export function defaultTaskDueDate(
  notAfter: Date | null,
  now: Date,
  daysBeforeExpiry: number = TASK_DUE_DAYS_BEFORE_EXPIRY,
): Date {
  const earliest = now.getTime() + TASK_MIN_DAYS_TO_DUE * DAY_MS;
  if (notAfter === null) return new Date(earliest);
  return new Date(Math.max(notAfter.getTime() - daysBeforeExpiry * DAY_MS, earliest));
}

/**
 * urgent once expired (SCOM no longer authenticates with it), high for any other error (SCOM already
 * rejects or will reject the certificate) and for an expiry at most 7 whole days away, else normal.
 * "Expired" here includes notAfter == now: a task created at the last instant is already late.
 */
export function defaultTaskPriority(reason: Finding, notAfter: Date | null, now: Date): TaskPriority {
  if (notAfter !== null && notAfter.getTime() <= now.getTime()) return "urgent";
  if (reason.severity === "error") return "high";
  const nearExpiry = notAfter !== null && daysUntil(notAfter, now) <= TASK_HIGH_PRIORITY_DAYS_LEFT;
  if (reason.ruleId === "validity" && reason.severity === "warning" && nearExpiry) return "high";
  return "normal";
}

/** Past its due date with work still to do; done and cancelled tasks are never overdue. */
export function isTaskOverdue(task: { status: TaskStatus; dueAt: Date }, now: Date): boolean {
  return isOpenTaskStatus(task.status) && task.dueAt.getTime() < now.getTime();
}
