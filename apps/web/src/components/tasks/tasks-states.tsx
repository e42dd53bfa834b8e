"use client";

import { EmptyState, QueryError } from "@/components/ui/query-state";
import { DEFAULT_TASKS_STATE, isFiltered, type TasksUrlState } from "@/lib/task-query";
import type { SetTasksState } from "./tasks-view";

/** Empty and error states shared by the board and the list. */
export function TasksEmpty({ state, setState }: { state: TasksUrlState; setState: SetTasksState }) {
  if (!isFiltered(state))
    return (
      <EmptyState title="No renewal work to do">
        Tasks appear when a host's channel certificate needs replacing.
      </EmptyState>
    );
  return (
    <EmptyState
      title="No tasks match these filters"
      action={
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setState({ ...DEFAULT_TASKS_STATE, view: state.view })}
        >
          Clear filters
        </button>
      }
    />
  );
}

export function TasksError({
  query,
}: {
  query: { error: unknown; refetch: () => unknown; isFetching: boolean };
}) {
  return (
    <QueryError
      error={query.error}
      what="the tasks"
      onRetry={() => void query.refetch()}
      retrying={query.isFetching}
    />
  );
}
