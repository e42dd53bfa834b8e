"use client";

import type { NotificationRunResult } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MutationError } from "@/components/ui/form-bits";
import { PageHeader } from "@/components/ui/page-header";
import { QueryStates } from "@/components/ui/query-state";
import { auditKeys, notificationKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";
import { ChannelForm } from "./channel-form";
import { ChannelsTable } from "./channels-table";
import { HistoryTable } from "./history-table";
import { channelsQuery, notificationSettingsQuery } from "./queries";
import { ThresholdsForm } from "./thresholds-form";

/** `/admin/notifications`: where expiry warnings go, when they fire, and what was sent. */
export function NotificationsAdmin() {
  const channels = useQuery(channelsQuery());
  const settings = useQuery(notificationSettingsQuery());
  return (
    <div className="stack">
      <PageHeader title="Notifications" actions={<RunNow />}>
        Expiry warnings go out once per certificate per threshold, by e-mail or signed webhook; a replaced
        certificate is never announced. The check runs every hour, digests daily at 07:00 UTC.
      </PageHeader>
      <QueryStates query={settings} what="the notification settings" lines={3}>
        {(data) => (
          <>
            <ThresholdsForm settings={data} />
            <ChannelForm smtpConfigured={data.smtpConfigured} />
          </>
        )}
      </QueryStates>
      <QueryStates query={channels} what="the channels" lines={4}>
        {(data) => (
          <>
            <ChannelsTable channels={data.items} />
            <HistoryTable channels={data.items} />
          </>
        )}
      </QueryStates>
    </div>
  );
}

function RunNow() {
  const send = useSend();
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: () => send<NotificationRunResult>("/api/v1/notifications/run", "POST"),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
  const result = run.data;
  return (
    <div className="notifications-run">
      <button type="button" className="button" disabled={run.isPending} onClick={() => run.mutate()}>
        {run.isPending ? "Running…" : "Run now"}
      </button>
      <p className="small" role="status" data-testid="run-result">
        {result
          ? `${result.due} warning${result.due === 1 ? "" : "s"} and ${result.newErrors} new error${
              result.newErrors === 1 ? "" : "s"
            } in ${result.messages} message${result.messages === 1 ? "" : "s"}: ${result.delivered} delivered, ${
              result.failed
            } failed, ${result.pending} pending (${result.channels} channel${result.channels === 1 ? "" : "s"}).`
          : ""}
      </p>
      {run.isError ? <MutationError error={run.error} /> : null}
    </div>
  );
}
