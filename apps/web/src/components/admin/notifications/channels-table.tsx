"use client";

import type {
  NotificationChannel,
  NotificationChannelUpdate,
  NotificationHistoryItem,
} from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { MutationError } from "@/components/ui/form-bits";
import { EmptyState } from "@/components/ui/query-state";
import { formatDateTime } from "@/lib/format";
import { auditKeys, notificationKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";
import { DeliveryBadge } from "./delivery-badge";

/** Every channel with its last delivery, and what an admin can do to each. */
export function ChannelsTable({ channels }: { channels: NotificationChannel[] }) {
  if (channels.length === 0)
    return (
      <EmptyState title="No channels yet">
        Add an e-mail list or a webhook above; expiry warnings go to every enabled channel.
      </EmptyState>
    );
  return (
    <section className="card table-card" aria-label="Notification channels">
      <div className="table-scroll">
        <table className="data-table" data-testid="channels">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Target</th>
              <th scope="col">Digest</th>
              <th scope="col">New errors</th>
              <th scope="col">Enabled</th>
              <th scope="col">Last delivery</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((channel) => (
              <ChannelRow key={channel.id} channel={channel} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const yesNo = (value: boolean) => (value ? "Yes" : "No");

function ChannelRow({ channel }: { channel: NotificationChannel }) {
  const send = useSend();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  };
  const update = useMutation({
    mutationFn: (body: NotificationChannelUpdate) =>
      send<NotificationChannel>(`/api/v1/notification-channels/${channel.id}`, "PATCH", body),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => send<void>(`/api/v1/notification-channels/${channel.id}`, "DELETE"),
    onSettled: refresh,
  });
  const test = useMutation({
    mutationFn: () =>
      send<NotificationHistoryItem>(`/api/v1/notification-channels/${channel.id}/test`, "POST"),
    onSettled: refresh,
  });
  const error = update.error ?? remove.error ?? test.error;

  return (
    <tr data-channel-id={channel.id}>
      <th scope="row">{channel.name}</th>
      <td>{channel.kind === "email" ? "E-mail" : "Webhook"}</td>
      <td className="break-anywhere">{channel.target}</td>
      <td>{yesNo(channel.digest)}</td>
      <td>{yesNo(channel.notifyNewErrors)}</td>
      <td>
        <span className={channel.enabled ? "tag tag-ok" : "tag"}>
          {channel.enabled ? "Enabled" : "Disabled"}
        </span>
      </td>
      <td className="nowrap">
        {channel.lastDelivery ? (
          <span className="notifications-last">
            <DeliveryBadge status={channel.lastDelivery.status} />
            <span className="muted small">{formatDateTime(channel.lastDelivery.at)}</span>
          </span>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td>
        <div className="confirm">
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={test.isPending}
            onClick={() => test.mutate()}
          >
            {test.isPending ? "Sending…" : "Send test"}
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={update.isPending}
            onClick={() => update.mutate({ enabled: !channel.enabled })}
          >
            {channel.enabled ? "Disable" : "Enable"}
          </button>
          <ConfirmButton
            label="Delete"
            confirmLabel="Confirm delete"
            warning="Its history goes too."
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
        {test.data ? (
          <p className="small" role="status">
            Test{" "}
            {test.data.status === "delivered"
              ? "delivered"
              : `failed: ${test.data.lastError ?? "unknown error"}`}
          </p>
        ) : null}
        {error ? <MutationError error={error} /> : null}
      </td>
    </tr>
  );
}
