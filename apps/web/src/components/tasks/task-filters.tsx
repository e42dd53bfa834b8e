"use client";

import type { UserRole } from "@certfleet/contracts";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { roleAtLeast } from "@/lib/roles";
import { assigneesQuery } from "@/lib/task-api";
import { TASK_PRIORITIES, TASK_PRIORITY_LABEL, TASK_STATUS_LABEL, TASK_STATUSES } from "@/lib/task-labels";
import { DEFAULT_TASKS_STATE, isFiltered, type StatusFilter, type TasksUrlState } from "@/lib/task-query";
import type { SetTasksState } from "./tasks-view";

/** Filter controls. They only write the URL; the board and list read it back. */
export function TaskFilters({
  state,
  setState,
  role,
}: {
  state: TasksUrlState;
  setState: SetTasksState;
  role: UserRole | undefined;
}) {
  const id = useId();
  const filtered = isFiltered(state);
  return (
    <section className="card filters" aria-label="Filters">
      <div className="filter-row">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            className="input"
            value={state.status}
            onChange={(event) => setState({ ...state, status: event.target.value as StatusFilter })}
          >
            <option value="active">Active (work to do)</option>
            <option value="all">All</option>
            {TASK_STATUSES.map((status) => (
              <option key={status} value={status}>
                {TASK_STATUS_LABEL[status]}
              </option>
            ))}
          </select>
        </div>
        <AssigneeFilter
          id={`${id}-assignee`}
          value={state.assignee}
          role={role}
          onChange={(assignee) => setState({ ...state, assignee })}
        />
        <fieldset className="chip-group">
          <legend>Priority</legend>
          <div className="chips">
            {TASK_PRIORITIES.map((priority) => {
              const on = state.priorities.includes(priority);
              return (
                <button
                  key={priority}
                  type="button"
                  className="chip"
                  aria-pressed={on}
                  onClick={() =>
                    setState({
                      ...state,
                      priorities: on
                        ? state.priorities.filter((p) => p !== priority)
                        : [...state.priorities, priority],
                    })
                  }
                >
                  {TASK_PRIORITY_LABEL[priority]}
                </button>
              );
            })}
          </div>
        </fieldset>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={state.overdue}
            onChange={(event) => setState({ ...state, overdue: event.target.checked })}
          />
          Overdue only
        </label>
        {filtered ? (
          <button
            type="button"
            className="button button-ghost filters-clear"
            onClick={() => setState({ ...DEFAULT_TASKS_STATE, view: state.view })}
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** Operators choose between their own tasks and all; leads can also pick "Unassigned" or a person. */
function AssigneeFilter({
  id,
  value,
  role,
  onChange,
}: {
  id: string;
  value: string | undefined;
  role: UserRole | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const isLead = roleAtLeast(role, "lead");
  const people = useQuery({ ...assigneesQuery(), enabled: isLead });
  const known = value === undefined || value === "me" || value === "none";
  return (
    <div className="field">
      <label htmlFor={id}>Assignee</label>
      <select
        id={id}
        className="input"
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}
      >
        <option value="">All</option>
        {roleAtLeast(role, "operator") ? <option value="me">Me</option> : null}
        {isLead ? <option value="none">Unassigned</option> : null}
        {isLead
          ? people.data?.items.map((person) => (
              <option key={person.id} value={String(person.id)}>
                {person.name} ({person.email})
              </option>
            ))
          : null}
        {/* A person from a shared link whom this list does not (yet) hold: keep the choice visible. */}
        {!known && !people.data?.items.some((person) => String(person.id) === value) ? (
          <option value={value}>User #{value}</option>
        ) : null}
      </select>
    </div>
  );
}
