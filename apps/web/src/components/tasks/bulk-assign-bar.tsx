"use client";

import type { BulkAssignResult } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ApiError } from "@/lib/api";
import { taskKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";
import { assigneesQuery } from "@/lib/task-api";
import { AssigneeSelect } from "./assignee-select";
import type { Selection } from "./tasks-view";

/** "Assign N selected to …": one request for many tasks; tasks that could not be assigned are listed. */
export function BulkAssignBar({ selection }: { selection: Selection }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const people = useQuery(assigneesQuery());
  const [assigneeId, setAssigneeId] = useState("");
  const count = selection.ids.size;

  const assign = useMutation({
    mutationFn: (body: { taskIds: number[]; assigneeId: number }) =>
      send<BulkAssignResult>("/api/v1/tasks/bulk-assign", "POST", body),
    onSuccess: (result) => {
      // Keep the failed ones selected, so the lead can look at them and try again.
      selection.replace(new Set(result.failed.map((failure) => failure.taskId)));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: taskKeys.all }),
  });

  // Nothing selected and nothing to report: the bar stays out of the way.
  if (count === 0 && !assign.data && !assign.isError) return null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (assigneeId === "") return;
    assign.mutate({ taskIds: [...selection.ids], assigneeId: Number(assigneeId) });
  };

  return (
    <section className="card bulk-bar" aria-label="Bulk assign" data-testid="bulk-assign">
      {count > 0 ? (
        <form className="bulk-form" onSubmit={submit}>
          <span>
            Assign <strong>{count}</strong> selected to
          </span>
          <label htmlFor={`${id}-assignee`} className="visually-hidden">
            Bulk assignee
          </label>
          <AssigneeSelect
            id={`${id}-assignee`}
            people={people.data?.items}
            value={assigneeId}
            onChange={setAssigneeId}
          />
          <button type="submit" className="button" disabled={assign.isPending || assigneeId === ""}>
            {assign.isPending ? "Assigning…" : "Assign selected"}
          </button>
          <button type="button" className="button button-ghost" onClick={() => selection.replace(new Set())}>
            Clear selection
          </button>
        </form>
      ) : null}
      <div role="status" aria-live="polite">
        {assign.data ? <BulkOutcome result={assign.data} /> : null}
      </div>
      {assign.isError ? (
        <p className="form-error" role="alert">
          <strong>Could not assign:</strong>{" "}
          {assign.error instanceof ApiError
            ? (assign.error.detail ?? assign.error.title)
            : assign.error.message}
        </p>
      ) : null}
    </section>
  );
}

function BulkOutcome({ result }: { result: BulkAssignResult }) {
  return (
    <div className="stack-tight">
      <p>
        Assigned {result.assigned.length} {result.assigned.length === 1 ? "task" : "tasks"}.
        {result.failed.length > 0 ? ` ${result.failed.length} could not be assigned:` : ""}
      </p>
      {result.failed.length > 0 ? (
        <ul className="bulk-failures" data-testid="bulk-failures">
          {result.failed.map((failure) => (
            <li key={failure.taskId} data-task-id={failure.taskId}>
              Task #{failure.taskId}: <strong>{failure.problem.title}</strong>
              {failure.problem.detail ? ` ${failure.problem.detail}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
