import type { AuditQuery, HostListQuery, TaskListQuery } from "@certfleet/contracts";

/**
 * React Query key factories: one object per resource, every key for that resource built here so
 * invalidation (`queryClient.invalidateQueries({ queryKey: fooKeys.all })`) always matches.
 *
 * Host lists are keyed by their query without `cursor` and `limit` (those belong to the infinite
 * query's pages, not to its identity). The live stream (stream.ts) relies on every host list —
 * table pages and the expiry timeline alike — living under `hostKeys.lists()`.
 */
export const healthKeys = {
  all: ["health"] as const,
};

export type HostListParams = Omit<HostListQuery, "cursor" | "limit">;

export const hostKeys = {
  all: ["hosts"] as const,
  lists: () => [...hostKeys.all, "list"] as const,
  list: (params: HostListParams) => [...hostKeys.lists(), params] as const,
  /** Weekly expiry counts derived from the list (see expiry-timeline.ts). */
  timeline: (days: number) => [...hostKeys.lists(), "timeline", days] as const,
  details: () => [...hostKeys.all, "detail"] as const,
  detail: (fqdn: string) => [...hostKeys.details(), fqdn.toLowerCase()] as const,
};

export const summaryKeys = {
  all: ["summary"] as const,
};

export const certificateKeys = {
  all: ["certificates"] as const,
  detail: (sha256: string) => [...certificateKeys.all, "detail", sha256.toLowerCase()] as const,
};

export const ruleKeys = {
  all: ["rules"] as const,
};

/** The signed-in user (and the CSRF token), plus the public sign-in options. */
export const sessionKeys = {
  all: ["session"] as const,
  current: () => [...sessionKeys.all, "current"] as const,
  options: () => [...sessionKeys.all, "options"] as const,
};

export type TaskListParams = Omit<TaskListQuery, "cursor" | "limit">;

/**
 * Everything task-shaped lives under `taskKeys.all`, so one `task.updated` stream message
 * (stream.ts) refreshes the board, the list, the detail and the host page's renewal panel.
 */
export const taskKeys = {
  all: ["tasks"] as const,
  lists: () => [...taskKeys.all, "list"] as const,
  list: (params: TaskListParams, mode: "board" | "list") => [...taskKeys.lists(), mode, params] as const,
  forHost: (fqdn: string) => [...taskKeys.all, "host", fqdn.toLowerCase()] as const,
  details: () => [...taskKeys.all, "detail"] as const,
  detail: (id: number) => [...taskKeys.details(), id] as const,
};

export const userKeys = {
  all: ["users"] as const,
  list: () => [...userKeys.all, "list"] as const,
  /** People a lead can assign tasks to. */
  assignees: () => [...userKeys.all, "assignees"] as const,
};

export const tokenKeys = {
  all: ["tokens"] as const,
};

export const trustAnchorKeys = {
  all: ["trust-anchors"] as const,
};

export const settingsKeys = {
  all: ["settings"] as const,
};

export type AuditListParams = Omit<AuditQuery, "cursor" | "limit">;

export const auditKeys = {
  all: ["audit"] as const,
  list: (params: AuditListParams) => [...auditKeys.all, "list", params] as const,
};

export const complianceKeys = {
  all: ["compliance"] as const,
  reports: () => [...complianceKeys.all, "reports"] as const,
  report: (id: number) => [...complianceKeys.all, "report", id] as const,
  diff: (from: number, to: number) => [...complianceKeys.all, "diff", from, to] as const,
  schedules: () => [...complianceKeys.all, "schedules"] as const,
};

export const notificationKeys = {
  all: ["notifications"] as const,
  channels: () => [...notificationKeys.all, "channels"] as const,
  history: (params: Record<string, string>) => [...notificationKeys.all, "history", params] as const,
  thresholds: () => [...notificationKeys.all, "thresholds"] as const,
};

/** Management groups and their certificate-authentication setting. */
export const managementGroupKeys = {
  all: ["management-groups"] as const,
};
