"use client";

import type { Task, TaskDetail, TaskPriority, TaskUpdateBody } from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { SubmitButton } from "@/components/ui/form-bits";
import { ApiError } from "@/lib/api";
import { toDateInput, withDay } from "@/lib/date-input";
import { taskKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";
import { conflictCurrent } from "@/lib/task-api";
import { TASK_PRIORITIES, TASK_PRIORITY_LABEL } from "@/lib/task-labels";

/** Leads' edits: priority, due date and note. Only changed fields are sent, with the version seen. */
export function TaskEditForm({
  task,
  onConflict,
}: {
  task: TaskDetail;
  onConflict: (current: Task) => void;
}) {
  // The version our last save produced: "Saved." stays while the task is still that version.
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  // Re-mount on every new version, so the form starts from what the task now says.
  return (
    <EditForm
      key={task.version}
      task={task}
      onConflict={onConflict}
      justSaved={savedVersion === task.version}
      onSaved={setSavedVersion}
    />
  );
}

function EditForm({
  task,
  onConflict,
  justSaved,
  onSaved,
}: {
  task: TaskDetail;
  onConflict: (current: Task) => void;
  justSaved: boolean;
  onSaved: (version: number) => void;
}) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [priority, setPriority] = useState<TaskPriority>(task.priority);
  const [day, setDay] = useState(toDateInput(task.dueAt));
  const [note, setNote] = useState(task.note ?? "");
  const [invalid, setInvalid] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (body: TaskUpdateBody) => send<Task>(`/api/v1/tasks/${task.id}`, "PATCH", body),
    onSuccess: (updated) => onSaved(updated.version),
    onError: (error) => {
      const current = conflictCurrent(error);
      if (current) onConflict(current);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: taskKeys.all }),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: TaskUpdateBody = { version: task.version };
    if (priority !== task.priority) body.priority = priority;
    if (day !== toDateInput(task.dueAt)) {
      const dueAt = withDay(task.dueAt, day);
      if (!dueAt) {
        setInvalid("Pick a valid due date.");
        return;
      }
      body.dueAt = dueAt;
    }
    const trimmed = note.trim();
    if (trimmed !== (task.note ?? "")) body.note = trimmed === "" ? null : trimmed;
    setInvalid(null);
    if (Object.keys(body).length === 1) {
      setInvalid("Nothing changed.");
      return;
    }
    save.mutate(body);
  };

  const error = save.isError && !conflictCurrent(save.error) ? save.error : null;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Plan</h3>
      <form className="stack-form" onSubmit={submit}>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-priority`}>Priority</label>
            <select
              id={`${id}-priority`}
              className="input"
              value={priority}
              onChange={(event) => setPriority(event.target.value as TaskPriority)}
            >
              {TASK_PRIORITIES.map((value) => (
                <option key={value} value={value}>
                  {TASK_PRIORITY_LABEL[value]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-due`}>Due date</label>
            <input
              id={`${id}-due`}
              className="input"
              type="date"
              required
              value={day}
              onChange={(event) => setDay(event.target.value)}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>Note</label>
          <textarea
            id={`${id}-note`}
            className="input"
            rows={3}
            maxLength={2000}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        </div>
        <div className="button-row">
          <SubmitButton pending={save.isPending} label="Save" />
          <span role="status" className="muted small">
            {invalid ?? (save.isSuccess || justSaved ? "Saved." : "")}
          </span>
        </div>
        {error ? (
          <p className="form-error" role="alert">
            <strong>{error instanceof ApiError ? error.title : "Could not save"}</strong>
            {error instanceof ApiError && error.detail ? ` ${error.detail}` : ""}
          </p>
        ) : null}
      </form>
    </section>
  );
}
