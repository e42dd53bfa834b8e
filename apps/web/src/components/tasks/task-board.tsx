"use client";

import { useQuery } from "@tanstack/react-query";
import { SkeletonCard } from "@/components/ui/query-state";
import { formatCount } from "@/lib/format";
import { BOARD_LIMIT, taskBoardQuery } from "@/lib/task-api";
import { TASK_STATUS_LABEL } from "@/lib/task-labels";
import { boardColumns } from "@/lib/task-query";
import { TaskCard } from "./task-card";
import { TasksEmpty, TasksError } from "./tasks-states";
import type { TaskViewProps } from "./tasks-view";

/** Columns per status, in the order work flows; one request of up to BOARD_LIMIT tasks. */
export function TaskBoard({ state, params, setState, selection }: TaskViewProps) {
  const query = useQuery(taskBoardQuery(params));
  if (query.isPending) return <SkeletonCard label="Loading tasks" lines={6} />;
  if (query.isError) return <TasksError query={query} />;
  const { items, total } = query.data;
  if (items.length === 0) return <TasksEmpty state={state} setState={setState} />;

  return (
    <div className="stack" data-testid="task-board">
      {total > items.length ? (
        <p className="notice" role="note">
          The board shows the first {formatCount(BOARD_LIMIT)} of {formatCount(total)} tasks (soonest due
          first). Narrow the filter, or use the list view to page through all of them.
        </p>
      ) : null}
      <div className="board">
        {boardColumns(state.status).map((status) => {
          const tasks = items.filter((task) => task.status === status);
          return (
            <section
              key={status}
              className="board-column"
              aria-labelledby={`board-${status}`}
              data-column={status}
            >
              <h3 id={`board-${status}`} className="board-column-title">
                {TASK_STATUS_LABEL[status]} <span className="muted">({tasks.length})</span>
              </h3>
              {tasks.length === 0 ? (
                <p className="muted small">None</p>
              ) : (
                <ul className="board-cards">
                  {tasks.map((task) => (
                    <TaskCard key={task.id} task={task} selection={selection} />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}
