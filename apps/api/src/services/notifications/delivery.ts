import { setTimeout as sleep } from "node:timers/promises";
import type { NotificationKind, NotificationStatus } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import type { NotificationsConfig } from "../../config";
import { eventOf, itemFrom, renderEmail, type WebhookBody } from "./messages";
import { decryptSecret, SecretUnavailable } from "./secret-box";
import { DeliveryError, postWebhook, recipientsOf, sendEmail } from "./transport";

/** With the job queue: the first attempt in the run, then pg-boss retries with backoff up to this many. */
export const MAX_QUEUED_ATTEMPTS = 6;
/** Without the job queue (tests, CERTFLEET_JOBS=false): retried in place after these pauses. */
export const DEFAULT_INLINE_RETRY_DELAYS_MS = [1_000, 5_000];
const PARALLEL_DELIVERIES = 4;

/**
 * How failed deliveries are retried: in place (short pauses; the caller waits), or handed to the
 * job queue (`notification-delivery`, retried with exponential backoff across restarts).
 */
export type RetryPolicy =
  | { mode: "inline"; delaysMs: readonly number[] }
  | { mode: "queue"; enqueue: (messageId: string) => Promise<void> };

export type AttemptOutcome = Exclude<NotificationStatus, "pending"> | "retrying" | "nothing";

/**
 * One attempt at one message: every row sharing `messageId` that is not yet delivered (a digest
 * is many rows, one message). The rows record the attempt; a failure is final once `maxAttempts`
 * attempts were made, else the rows stay pending for the next try.
 */
export async function attemptDelivery(
  db: Database,
  config: NotificationsConfig,
  messageId: string,
  maxAttempts: number,
): Promise<AttemptOutcome> {
  const rows = await db.notificationSent.findMany({
    where: { messageId, status: { not: "delivered" } },
    include: { channel: true },
    orderBy: { id: "asc" },
  });
  const first = rows[0];
  if (!first) return "nothing";
  const channel = first.channel;
  const items = rows.map((row) => itemFrom(row.payload));
  const event = eventOf(
    rows.map((row) => row.kind as NotificationKind),
    rows.length > 1,
  );
  const ids = rows.map((row) => row.id);
  try {
    if (channel.kind === "email") {
      if (!config.smtp)
        throw new DeliveryError("SMTP is not configured (CERTFLEET_SMTP_URL, CERTFLEET_SMTP_FROM)");
      await sendEmail(config.smtp, recipientsOf(channel.target), renderEmail(items, event, channel.name));
    } else {
      if (!channel.secret) throw new DeliveryError("the webhook has no signing secret");
      const secret = openSecret(config.secretKey, channel.secret);
      const body: WebhookBody = {
        deliveryId: messageId,
        event,
        sentAt: new Date().toISOString(),
        channel: { id: channel.id, name: channel.name },
        items,
      };
      await postWebhook(channel.target, secret, body, { allow: config.webhookAllow });
    }
  } catch (error) {
    const lastError = error instanceof DeliveryError ? error.message : "delivery failed unexpectedly";
    const final = first.attempts + 1 >= maxAttempts;
    await db.notificationSent.updateMany({
      where: { id: { in: ids } },
      data: { attempts: { increment: 1 }, lastError, status: final ? "failed" : "pending" },
    });
    return final ? "failed" : "retrying";
  }
  await db.notificationSent.updateMany({
    where: { id: { in: ids } },
    data: { attempts: { increment: 1 }, status: "delivered", deliveredAt: new Date() },
  });
  return "delivered";
}

function openSecret(key: Buffer | null, stored: string): string {
  try {
    return decryptSecret(key, stored);
  } catch (error) {
    throw new DeliveryError(
      error instanceof SecretUnavailable ? error.message : "the signing secret is unreadable",
    );
  }
}

export interface DeliveryCounts {
  delivered: number;
  failed: number;
  pending: number;
}

async function deliverOne(
  db: Database,
  config: NotificationsConfig,
  messageId: string,
  retry: RetryPolicy,
): Promise<keyof DeliveryCounts | null> {
  if (retry.mode === "queue") {
    const outcome = await attemptDelivery(db, config, messageId, MAX_QUEUED_ATTEMPTS);
    if (outcome !== "retrying") return outcome === "nothing" ? null : outcome;
    await retry.enqueue(messageId);
    return "pending";
  }
  const maxAttempts = retry.delaysMs.length + 1;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await attemptDelivery(db, config, messageId, maxAttempts);
    if (outcome !== "retrying") return outcome === "nothing" ? null : outcome;
    await sleep(retry.delaysMs[attempt] ?? 0);
  }
}

/** Delivers messages a few at a time (300 agents on a per-certificate channel are 300 messages). */
export async function deliverMessages(
  db: Database,
  config: NotificationsConfig,
  messageIds: readonly string[],
  retry: RetryPolicy,
): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { delivered: 0, failed: 0, pending: 0 };
  let next = 0;
  const worker = async () => {
    while (next < messageIds.length) {
      const messageId = messageIds[next++] as string;
      const outcome = await deliverOne(db, config, messageId, retry);
      if (outcome) counts[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DELIVERIES, messageIds.length) }, worker));
  return counts;
}
