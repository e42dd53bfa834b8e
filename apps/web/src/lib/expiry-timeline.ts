import type { HostListItem, HostPage, HostRole } from "@certfleet/contracts";
import { queryOptions } from "@tanstack/react-query";
import { fetchHostPage } from "./estate";
import { hostKeys } from "./query-keys";

/**
 * The expiry timeline is derived from the host list (expiresWithinDays=N, sorted by expiry), read
 * in pages of 500 up to MAX_PAGES. Keeping the rows (not just counts) lets pushed host updates
 * move a host between weeks without a refetch. Past MAX_PAGES the chart says it is partial.
 */
export const TIMELINE_DAYS = 180;
const PAGE = 500;
const MAX_PAGES = 10;

export async function fetchExpiringHosts(days: number, signal?: AbortSignal): Promise<HostPage> {
  const items: HostListItem[] = [];
  let cursor: string | null = null;
  let total = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result: HostPage = await fetchHostPage(
      { expiresWithinDays: days, sort: "expiry", limit: PAGE, ...(cursor ? { cursor } : {}) },
      signal,
    );
    items.push(...result.items);
    total = result.total;
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  // nextCursor stays set when we stopped early: the chart shows `items.length` of `total`.
  return { items, total, nextCursor: cursor };
}

export const expiryTimelineQuery = (days = TIMELINE_DAYS) =>
  queryOptions({
    queryKey: hostKeys.timeline(days),
    queryFn: ({ signal }) => fetchExpiringHosts(days, signal),
  });

export interface TimelineWeek {
  /** 0 for the next 7 days. */
  week: number;
  /** First and last whole day left in this week (daysLeft from the API). */
  fromDay: number;
  toDay: number;
  start: Date;
  byRole: Record<HostRole, number>;
  count: number;
  /** Hosts expiring up to the end of this week: what `expiresWithinDays=toDay` lists. */
  cumulative: number;
}

export function weeklyExpiry(items: HostListItem[], days: number, now: number): TimelineWeek[] {
  const weeks: TimelineWeek[] = [];
  for (let week = 0; week * 7 <= days; week++) {
    const fromDay = week * 7;
    weeks.push({
      week,
      fromDay,
      toDay: Math.min(days, fromDay + 6),
      start: new Date(now + fromDay * 86_400_000),
      byRole: { ManagementServer: 0, Gateway: 0, Agent: 0 },
      count: 0,
      cumulative: 0,
    });
  }
  for (const item of items) {
    const daysLeft = item.boundCertificate?.daysLeft;
    // Pushed updates may have moved a cached row out of the window; the refetch will drop it.
    if (daysLeft === undefined || daysLeft < 0 || daysLeft > days) continue;
    const week = weeks[Math.floor(daysLeft / 7)];
    if (!week) continue;
    week.byRole[item.role] += 1;
    week.count += 1;
  }
  let running = 0;
  for (const week of weeks) {
    running += week.count;
    week.cumulative = running;
  }
  return weeks;
}
