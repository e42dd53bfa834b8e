import type { Task, TaskPriority, TaskStatus } from "@certfleet/contracts";
import { type IconTone, StatusIcon } from "@/components/ui/status-badge";
import { formatDate } from "@/lib/format";
import { TASK_PRIORITY_LABEL, TASK_STATUS_LABEL } from "@/lib/task-labels";

/** Small pieces every task view shares, so a status or a due date always looks the same. */

const STATUS_TONE: Record<TaskStatus, IconTone> = {
  open: "warning",
  reopened: "error",
  assigned: "info",
  in_progress: "info",
  awaiting_verification: "info",
  done: "ok",
  cancelled: "neutral",
};

/** Icon plus word, never colour alone; `data-task-status` is the hook for tests. */
export function TaskStatusBadge({ status, size }: { status: TaskStatus; size?: "lg" }) {
  const tone = STATUS_TONE[status];
  return (
    <span className={`badge badge-${tone}${size === "lg" ? " badge-lg" : ""}`} data-task-status={status}>
      <StatusIcon tone={tone} />
      {TASK_STATUS_LABEL[status]}
    </span>
  );
}

const PRIORITY_CLASS: Record<TaskPriority, string> = {
  urgent: "tag tag-error",
  high: "tag tag-warning",
  normal: "tag",
  low: "tag",
};

export function PriorityTag({ priority }: { priority: TaskPriority }) {
  return (
    <span className={PRIORITY_CLASS[priority]} data-priority={priority}>
      <span className="visually-hidden">Priority: </span>
      {TASK_PRIORITY_LABEL[priority]}
    </span>
  );
}

/** The due date; past due it says "Overdue" in words as well as in red. */
export function DueDate({ task }: { task: Pick<Task, "dueAt" | "overdue"> }) {
  return (
    <time
      dateTime={task.dueAt}
      className={task.overdue ? "due-date due-overdue" : "due-date"}
      data-overdue={task.overdue ? "true" : undefined}
    >
      {task.overdue ? "Overdue · " : "Due "}
      {formatDate(task.dueAt)}
    </time>
  );
}

export function AssigneeName({ assignee }: { assignee: Task["assignee"] }) {
  if (!assignee) return <span className="muted">Unassigned</span>;
  return <span title={assignee.email}>{assignee.name}</span>;
}
