import type { Assignee, Task, TaskDetail, TaskPage } from "@certfleet/contracts";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { ApiError, apiFetch } from "./api";
import { type TaskListParams, taskKeys, userKeys } from "./query-keys";
import { taskListSearch } from "./task-query";

/** Every read of the task API, and how to recognise its 409 answer. */

/** Rows per "Load more" in the list view. */
export const TASK_PAGE_SIZE = 100;
/** The board shows one page, as large as the API allows; past that it says it is partial. */
export const BOARD_LIMIT = 500;

export const fetchTaskPage = (
  params: TaskListParams,
  limit: number,
  cursor?: string | null,
  signal?: AbortSignal,
) => apiFetch<TaskPage>(`/api/v1/tasks?${taskListSearch(params, limit, cursor)}`, { signal });

export const taskListQuery = (params: TaskListParams) =>
  infiniteQueryOptions({
    queryKey: taskKeys.list(params, "list"),
    queryFn: ({ pageParam, signal }) => fetchTaskPage(params, TASK_PAGE_SIZE, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: TaskPage) => last.nextCursor,
  });

export const taskBoardQuery = (params: TaskListParams) =>
  queryOptions({
    queryKey: taskKeys.list(params, "board"),
    queryFn: ({ signal }) => fetchTaskPage(params, BOARD_LIMIT, null, signal),
  });

export const taskDetailQuery = (id: number) =>
  queryOptions({
    queryKey: taskKeys.detail(id),
    queryFn: ({ signal }) => apiFetch<TaskDetail>(`/api/v1/tasks/${id}`, { signal }),
  });

/**
 * The host's renewal task: the active one if there is one (at most one per host), else the most
 * recent closed one. The list is sorted by due date, so "newest" needs the active query first.
 */
export const hostTaskQuery = (fqdn: string) =>
  queryOptions({
    queryKey: taskKeys.forHost(fqdn),
    queryFn: async ({ signal }): Promise<Task | null> => {
      const active = await fetchTaskPage({ host: fqdn, status: "active" }, 1, null, signal);
      if (active.items[0]) return active.items[0];
      const any = await fetchTaskPage({ host: fqdn }, 20, null, signal);
      return newestTask(any.items);
    },
  });

/** The most recently created task, or null. */
export function newestTask(tasks: Task[]): Task | null {
  let newest: Task | null = null;
  for (const task of tasks) if (!newest || task.createdAt > newest.createdAt) newest = task;
  return newest;
}

export const assigneesQuery = () =>
  queryOptions({
    queryKey: userKeys.assignees(),
    queryFn: ({ signal }) => apiFetch<{ items: Assignee[] }>("/api/v1/assignees", { signal }),
    staleTime: 60_000,
  });

/** A 409 from a transition or edit: someone changed the task first; `current` is the task now. */
export function conflictCurrent(error: unknown): Task | undefined {
  if (!(error instanceof ApiError) || error.status !== 409) return undefined;
  const body = error.body;
  if (typeof body !== "object" || body === null || !("current" in body)) return undefined;
  const current = (body as { current: unknown }).current;
  if (typeof current !== "object" || current === null || !("status" in current)) return undefined;
  return current as Task;
}
