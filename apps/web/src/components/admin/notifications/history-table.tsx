"use client";

import type { NotificationChannel, NotificationHistoryItem, NotificationStatus } from "@certfleet/contracts";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { EmptyState, LoadMore, QueryStates } from "@/components/ui/query-state";
import { formatDateTime } from "@/lib/format";
import { DeliveryBadge } from "./delivery-badge";
import { type HistoryFilters, historyQuery } from "./queries";

const KIND_LABEL: Record<NotificationHistoryItem["kind"], string> = {
  expiry: "Expiry",
  digest: "Digest",
  "new-error": "New error",
  test: "Test",
};

/** What was sent, to whom, and whether it arrived; filtered by channel and status. */
export function HistoryTable({ channels }: { channels: NotificationChannel[] }) {
  const id = useId();
  const [filters, setFilters] = useState<HistoryFilters>({ channel: "", status: "" });
  const query = useInfiniteQuery(historyQuery(filters));

  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>History</h3>
      <div className="card filters">
        <div className="filter-row">
          <div className="field">
            <label htmlFor={`${id}-channel`}>Channel</label>
            <select
              id={`${id}-channel`}
              className="input"
              value={filters.channel}
              onChange={(event) => setFilters({ ...filters, channel: event.target.value })}
            >
              <option value="">All channels</option>
              {channels.map((channel) => (
                <option key={channel.id} value={String(channel.id)}>
                  {channel.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-status`}>Status</label>
            <select
              id={`${id}-status`}
              className="input"
              value={filters.status}
              onChange={(event) =>
                setFilters({ ...filters, status: event.target.value as NotificationStatus | "" })
              }
            >
              <option value="">Any status</option>
              <option value="delivered">Delivered</option>
              <option value="failed">Failed</option>
              <option value="pending">Pending</option>
            </select>
          </div>
        </div>
      </div>
      <QueryStates query={query} what="the notification history" lines={6}>
        {(data) =>
          data.pages[0]?.items.length === 0 ? (
            <EmptyState title="Nothing sent yet">
              Warnings appear here as certificates cross a threshold; "Run now" checks at once.
            </EmptyState>
          ) : (
            <div className="card table-card">
              <div className="table-scroll">
                <table className="data-table" data-testid="notification-history">
                  <thead>
                    <tr>
                      <th scope="col">Created</th>
                      <th scope="col">Channel</th>
                      <th scope="col">To</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Message</th>
                      <th scope="col">Status</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Last error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.pages.flatMap((page) =>
                      page.items.map((item) => (
                        <tr key={item.id} data-notification-id={item.id}>
                          <td className="nowrap">{formatDateTime(item.createdAt)}</td>
                          <td>{item.channelName}</td>
                          <td className="break-anywhere">{item.recipient}</td>
                          <td>{KIND_LABEL[item.kind]}</td>
                          <td>{item.summary}</td>
                          <td>
                            <DeliveryBadge status={item.status} />
                          </td>
                          <td className="notifications-count">{item.attempts}</td>
                          <td className="break-anywhere">
                            {item.lastError ?? <span className="muted">—</span>}
                          </td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </div>
              <LoadMore query={query} />
            </div>
          )
        }
      </QueryStates>
    </section>
  );
}
