import type {
  NotificationChannelKind,
  NotificationHistoryItem,
  NotificationHistoryPage,
  NotificationHistoryQuery,
  NotificationKind,
  NotificationStatus,
} from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import { itemFrom, summarize } from "./messages";

/** A webhook URL as logs may show it: scheme and host (with port) only. */
export function redactWebhookUrl(target: string): string {
  try {
    return new URL(target).origin;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * A channel snapshot in an audit entry, with a webhook URL cut to scheme and host: applied when
 * entries are read too, so entries written before URLs were redacted show no more.
 */
export function redactChannelSnapshot(snapshot: unknown): unknown {
  if (typeof snapshot !== "object" || snapshot === null) return snapshot;
  const channel = snapshot as { kind?: unknown; target?: unknown };
  if (channel.kind !== "webhook" || typeof channel.target !== "string") return snapshot;
  return { ...channel, target: redactWebhookUrl(channel.target) };
}

/** Who a channel writes to, as history may show it to leads: addresses, or only a webhook's host. */
export function recipientOf(channel: { kind: string; target: string }): string {
  if (channel.kind === "email") return channel.target;
  try {
    // Webhook paths and queries often carry a token (chat incoming-webhook URLs do).
    return new URL(channel.target).host;
  } catch {
    return "(invalid URL)";
  }
}

const HISTORY_FIELDS = {
  id: true,
  channelId: true,
  kind: true,
  certificateSha256: true,
  hostFqdn: true,
  thresholdDays: true,
  messageId: true,
  payload: true,
  status: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  deliveredAt: true,
  channel: { select: { name: true, kind: true, target: true } },
} as const;

/** Newest first; the cursor is the last id seen, so pages stay stable while runs append rows. */
export async function listNotificationHistory(
  db: Database,
  query: NotificationHistoryQuery,
): Promise<NotificationHistoryPage> {
  const limit = query.limit ?? 100;
  const rows = await db.notificationSent.findMany({
    where: {
      ...(query.channel ? { channelId: query.channel } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}),
    },
    select: HISTORY_FIELDS,
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit).map(toHistoryItem);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export function toHistoryItem(row: {
  id: bigint;
  channelId: number;
  kind: string;
  certificateSha256: string | null;
  hostFqdn: string | null;
  thresholdDays: number | null;
  messageId: string | null;
  payload: unknown;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  channel: { name: string; kind: string; target: string };
}): NotificationHistoryItem {
  return {
    id: row.id.toString(),
    channelId: row.channelId,
    channelName: row.channel.name,
    channelKind: row.channel.kind as NotificationChannelKind,
    recipient: recipientOf(row.channel),
    kind: row.kind as NotificationKind,
    hostFqdn: row.hostFqdn,
    certificateSha256: row.certificateSha256,
    thresholdDays: row.thresholdDays,
    messageId: row.messageId,
    summary: summarize(itemFrom(row.payload)),
    status: row.status as NotificationStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

export { HISTORY_FIELDS };
