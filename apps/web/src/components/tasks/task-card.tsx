import type { Task } from "@certfleet/contracts";
import Link from "next/link";
import { sentence } from "@/lib/format";
import { AssigneeName, DueDate, PriorityTag, TaskStatusBadge } from "./task-bits";
import type { Selection } from "./tasks-view";

/** One task on the board. The host name is the link to the task. */
export function TaskCard({ task, selection }: { task: Task; selection: Selection | undefined }) {
  return (
    <li className={`task-card${task.overdue ? " task-card-overdue" : ""}`} data-task-id={task.id}>
      <div className="task-card-head">
        {selection ? (
          <input
            type="checkbox"
            className="task-select"
            checked={selection.ids.has(task.id)}
            onChange={() => selection.toggle(task.id)}
            aria-label={`Select task for ${task.host.fqdn}`}
          />
        ) : null}
        <Link href={`/tasks/${task.id}`} className="host-link task-card-link">
          {task.host.fqdn}
        </Link>
      </div>
      <p className="task-card-reason">{sentence(task.reason.message)}</p>
      <div className="task-card-meta">
        <TaskStatusBadge status={task.status} />
        <PriorityTag priority={task.priority} />
        <DueDate task={task} />
      </div>
      <p className="small">
        <span className="muted">Assignee: </span>
        <AssigneeName assignee={task.assignee} />
      </p>
    </li>
  );
}
