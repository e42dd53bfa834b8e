import type { HostListQuery } from "@certfleet/contracts";

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
