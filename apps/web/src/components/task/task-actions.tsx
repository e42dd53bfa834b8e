"use client";

import type { Task, TaskAction, TaskDetail, TaskTransitionBody } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { AssigneeSelect } from "@/components/tasks/assignee-select";
import { ApiError } from "@/lib/api";
import { taskKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";
import { assigneesQuery, conflictCurrent } from "@/lib/task-api";
import { TASK_ACTION_LABEL, TASK_ACTIONS } from "@/lib/task-labels";

/** The moves this user may make now (the API's `actions`), as buttons with the workflow's words. */
export function TaskActions({ task, onConflict }: { task: TaskDetail; onConflict: (current: Task) => void }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const canAssign = task.actions.includes("assign");
  const people = useQuery({ ...assigneesQuery(), enabled: canAssign });
  const [assigneeId, setAssigneeId] = useState("");

  const transition = useMutation({
    mutationFn: (body: TaskTransitionBody) =>
      send<Task>(`/api/v1/tasks/${task.id}/transitions`, "POST", body),
    onSuccess: () => setAssigneeId(""),
    onError: (error) => {
      const current = conflictCurrent(error);
      if (current) onConflict(current);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: taskKeys.all }),
  });

  const run = (action: TaskAction) => {
    if (action === "assign") {
      if (assigneeId === "") return;
      transition.mutate({ action, version: task.version, assigneeId: Number(assigneeId) });
    } else {
      transition.mutate({ action, version: task.version });
    }
  };

  const others = TASK_ACTIONS.filter((action) => action !== "assign" && task.actions.includes(action));
  if (task.actions.length === 0)
    return (
      <p className="muted" data-testid="task-actions">
        Nothing for you to do on this task now.
      </p>
    );

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="task-actions">
      <h3 id={`${id}-title`}>Actions</h3>
      <div className="action-row">
        {others.map((action) => (
          <button
            key={action}
            type="button"
            className={action === "cancel" ? "button button-secondary" : "button"}
            disabled={transition.isPending}
            onClick={() => run(action)}
            data-action={action}
          >
            {TASK_ACTION_LABEL[action]}
          </button>
        ))}
        {canAssign ? (
          <div className="assign-control">
            <label htmlFor={`${id}-assignee`}>Assignee</label>
            <AssigneeSelect
              id={`${id}-assignee`}
              people={people.data?.items}
              value={assigneeId}
              onChange={setAssigneeId}
            />
            <button
              type="button"
              className="button"
              disabled={transition.isPending || assigneeId === ""}
              onClick={() => run("assign")}
              data-action="assign"
            >
              {TASK_ACTION_LABEL.assign}
            </button>
          </div>
        ) : null}
      </div>
      {transition.isError && !conflictCurrent(transition.error) ? (
        <p className="form-error" role="alert">
          <strong>
            {transition.error instanceof ApiError ? transition.error.title : "Could not change the task"}
          </strong>
          {transition.error instanceof ApiError && transition.error.detail
            ? ` ${transition.error.detail}`
            : ""}
        </p>
      ) : null}
    </section>
  );
}
