import type { TaskPriority, TaskStatus } from "@certfleet/contracts";
import type { TaskListParams } from "./query-keys";
import { TASK_PRIORITIES, TASK_STATUSES } from "./task-labels";

/**
 * `/tasks` keeps its whole view in the URL (`view`, `status`, `assignee`, `priority`, `overdue`),
 * in the API's vocabulary, so a link to "my overdue tasks" can be shared. `status` defaults to
 * `active` (work still to do); `status=all` asks for every task.
 */
export type TaskView = "board" | "list";
export type StatusFilter = "active" | "all" | TaskStatus;

export interface TasksUrlState {
  view: TaskView;
  status: StatusFilter;
  /** `me`, `none` or a user id; undefined = anyone. */
  assignee: string | undefined;
  priorities: TaskPriority[];
  overdue: boolean;
}

export const DEFAULT_TASKS_STATE: TasksUrlState = {
  view: "board",
  status: "active",
  assignee: undefined,
  priorities: [],
  overdue: false,
};

function isStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}

/** URL → view state. Values the API would reject fall back to the default rather than erroring. */
export function parseTasksUrl(search: URLSearchParams): TasksUrlState {
  const status = search.get("status") ?? "active";
  const assignee = search.get("assignee");
  const priority = (search.get("priority") ?? "").split(",");
  return {
    view: search.get("view") === "list" ? "list" : "board",
    status: status === "all" || status === "active" || isStatus(status) ? status : "active",
    assignee: assignee && /^(me|none|[1-9][0-9]{0,9})$/.test(assignee) ? assignee : undefined,
    // Canonical order, duplicates dropped: equal filters give equal URLs and query keys.
    priorities: TASK_PRIORITIES.filter((p) => priority.includes(p)),
    overdue: search.get("overdue") === "true",
  };
}

/** View state → `/tasks?…`, leaving out what is default except the view, which is always spelled out. */
export function tasksHref(state: TasksUrlState): string {
  const search = new URLSearchParams();
  search.set("view", state.view);
  if (state.status !== "active") search.set("status", state.status);
  if (state.assignee) search.set("assignee", state.assignee);
  const priorities = TASK_PRIORITIES.filter((p) => state.priorities.includes(p));
  if (priorities.length > 0) search.set("priority", priorities.join(","));
  if (state.overdue) search.set("overdue", "true");
  return `/tasks?${search.toString()}`;
}

/** View state → the API's list query (without paging). */
export function toTaskListParams(state: TasksUrlState): TaskListParams {
  const params: TaskListParams = {};
  if (state.status !== "all") params.status = state.status;
  if (state.assignee) params.assignee = state.assignee;
  if (state.priorities.length > 0) params.priority = state.priorities.join(",");
  if (state.overdue) params.overdue = true;
  return params;
}

/** The API query string for a list request. */
export function taskListSearch(params: TaskListParams, limit: number, cursor?: string | null): string {
  const search = new URLSearchParams();
  if (params.status) search.set("status", params.status);
  if (params.assignee) search.set("assignee", params.assignee);
  if (params.host) search.set("host", params.host);
  if (params.priority) search.set("priority", params.priority);
  if (params.overdue !== undefined) search.set("overdue", String(params.overdue));
  search.set("limit", String(limit));
  if (cursor) search.set("cursor", cursor);
  return search.toString();
}

/** Board columns: the statuses the filter asks for, in the order work flows. */
export function boardColumns(status: StatusFilter): TaskStatus[] {
  if (status === "all") return [...TASK_STATUSES];
  if (status === "active") return TASK_STATUSES.filter((s) => s !== "done" && s !== "cancelled");
  return [status];
}

/** Whether anything differs from the default filter (the view itself does not count). */
export function isFiltered(state: TasksUrlState): boolean {
  return (
    state.status !== "active" || state.assignee !== undefined || state.priorities.length > 0 || state.overdue
  );
}
