"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LoadMore, SkeletonCard } from "@/components/ui/query-state";
import { formatCount, sentence } from "@/lib/format";
import { taskListQuery } from "@/lib/task-api";
import { AssigneeName, DueDate, PriorityTag, TaskStatusBadge } from "./task-bits";
import { TasksEmpty, TasksError } from "./tasks-states";
import type { TaskViewProps } from "./tasks-view";

/** The list view: a table, a page at a time ("Load more"), soonest due first as the API sorts. */
export function TaskList({ state, params, setState, selection }: TaskViewProps) {
  const query = useInfiniteQuery(taskListQuery(params));
  if (query.isPending) return <SkeletonCard label="Loading tasks" lines={8} />;
  if (query.isError) return <TasksError query={query} />;
  const tasks = query.data.pages.flatMap((page) => page.items);
  const total = query.data.pages[0]?.total ?? 0;
  if (tasks.length === 0) return <TasksEmpty state={state} setState={setState} />;

  return (
    <section className="card table-card" aria-label="Tasks" data-testid="task-list">
      <div className="table-toolbar">
        <p className="table-count" data-testid="task-total">
          <strong>{formatCount(total)}</strong> {total === 1 ? "task" : "tasks"}
          {tasks.length < total ? (
            <span className="muted"> · showing {formatCount(tasks.length)}</span>
          ) : null}
        </p>
      </div>
      <div className="table-scroll">
        <table className="data-table task-table">
          <thead>
            <tr>
              {selection ? (
                <th scope="col">
                  <span className="visually-hidden">Select</span>
                </th>
              ) : null}
              <th scope="col">Host</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Due</th>
              <th scope="col">Assignee</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} data-task-id={task.id}>
                {selection ? (
                  <td>
                    <input
                      type="checkbox"
                      className="task-select"
                      checked={selection.ids.has(task.id)}
                      onChange={() => selection.toggle(task.id)}
                      aria-label={`Select task for ${task.host.fqdn}`}
                    />
                  </td>
                ) : null}
                <th scope="row">
                  <Link href={`/tasks/${task.id}`} className="host-link">
                    {task.host.fqdn}
                  </Link>
                </th>
                <td>
                  <TaskStatusBadge status={task.status} />
                </td>
                <td>
                  <PriorityTag priority={task.priority} />
                </td>
                <td className="nowrap">
                  <DueDate task={task} />
                </td>
                <td>
                  <AssigneeName assignee={task.assignee} />
                </td>
                <td className="task-reason">{sentence(task.reason.message)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore query={query} />
    </section>
  );
}
