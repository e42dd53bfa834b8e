import type {
  NotificationChannelList,
  NotificationHistoryPage,
  NotificationSettings,
  NotificationStatus,
} from "@certfleet/contracts";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api";
import { notificationKeys } from "@/lib/query-keys";

/** Reads of the notifications admin API. */

export const channelsQuery = () =>
  queryOptions({
    queryKey: notificationKeys.channels(),
    queryFn: ({ signal }) => apiFetch<NotificationChannelList>("/api/v1/notification-channels", { signal }),
  });

export const notificationSettingsQuery = () =>
  queryOptions({
    queryKey: notificationKeys.thresholds(),
    queryFn: ({ signal }) => apiFetch<NotificationSettings>("/api/v1/notification-settings", { signal }),
  });

export interface HistoryFilters {
  /** Channel id as text ("" = every channel). */
  channel: string;
  status: NotificationStatus | "";
}

export const HISTORY_PAGE_SIZE = 50;

export const historyQuery = (filters: HistoryFilters) =>
  infiniteQueryOptions({
    queryKey: notificationKeys.history({ channel: filters.channel, status: filters.status }),
    queryFn: ({ pageParam, signal }) => {
      const search = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
      if (filters.channel) search.set("channel", filters.channel);
      if (filters.status) search.set("status", filters.status);
      if (pageParam) search.set("cursor", pageParam);
      return apiFetch<NotificationHistoryPage>(`/api/v1/notifications/history?${search}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last: NotificationHistoryPage) => last.nextCursor,
  });
