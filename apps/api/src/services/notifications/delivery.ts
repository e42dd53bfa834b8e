import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { NotificationKind, NotificationStatus } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import type { NotificationsConfig } from "../../config";
import { eventOf, itemFrom, renderEmail, type WebhookBody } from "./messages";
import { decryptSecret, SecretUnavailable } from "./secret-box";
import { DeliveryError, postWebhook, recipientsOf, sendEmail } from "./transport";

/** With the job queue: the first attempt in the run, then the sweeper retries with backoff up to this many. */
export const MAX_QUEUED_ATTEMPTS = 6;
/** Without the job queue (tests, CERTFLEET_JOBS=false): retried in place after these pauses. */
export const DEFAULT_INLINE_RETRY_DELAYS_MS = [1_000, 5_000];
/**
 * How long a run or sweep holds a pending message it is delivering: longer than any one attempt
 * (webhook 10 s, SMTP 3 × 15 s). A message still pending past its claim is stale — its instance
 * died, or its retry is due — and the sweeper takes it over.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;
const PARALLEL_DELIVERIES = 4;

/** Queued retries: 30 s, 1, 2, 4, 8 min after the failed attempt (the sweeper runs every minute). */
export function retryBackoffMs(attemptsMade: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attemptsMade - 1), 60 * 60_000);
}

/**
 * How failed deliveries are retried: in place (short pauses; the caller waits, keeping its
 * claim), or by the sweeper (`notifications-sweeper`, every minute, with backoff, across restarts).
 */
export type RetryPolicy = { mode: "inline"; delaysMs: readonly number[] } | { mode: "sweeper" };

export type AttemptOutcome = Exclude<NotificationStatus, "pending"> | "retrying" | "nothing";

export interface AttemptOptions {
  maxAttempts: number;
  /** The claim this attempt is made under: the token the rows were inserted or claimed with. */
  claimToken: string;
  /** When a failure is retried, counted from now: the rows stay claimed (by this token) until then. */
  holdAfterFailureMs: (attemptsMade: number) => number;
  /** Rows claimed by others count as stale once their claim ended before this (default: now). */
  staleBefore?: Date;
}

/**
 * Takes the message for this claim token: its pending rows that are unclaimed, already this
 * token's, or whose claim has run out. One UPDATE, so two instances never both take a message.
 */
async function claimMessage(db: Database, messageId: string, options: AttemptOptions): Promise<boolean> {
  const { count } = await db.notificationSent.updateMany({
    where: {
      messageId,
      status: "pending",
      OR: [
        { claimToken: options.claimToken },
        { claimedUntil: null },
        { claimedUntil: { lte: options.staleBefore ?? new Date() } },
      ],
    },
    data: { claimToken: options.claimToken, claimedUntil: new Date(Date.now() + CLAIM_LEASE_MS) },
  });
  return count > 0;
}

/**
 * One attempt at one message: every row sharing `messageId` that is still pending (a digest is
 * many rows, one message), once this claim holds them. The rows record the attempt; a failure is
 * final once `maxAttempts` attempts were made, else the rows stay pending, held for the retry.
 */
export async function attemptDelivery(
  db: Database,
  config: NotificationsConfig,
  messageId: string,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  if (!(await claimMessage(db, messageId, options))) return "nothing";
  const rows = await db.notificationSent.findMany({
    where: { messageId, status: "pending", claimToken: options.claimToken },
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
    const attemptsMade = first.attempts + 1;
    const final = attemptsMade >= options.maxAttempts;
    await db.notificationSent.updateMany({
      where: { id: { in: ids } },
      data: {
        attempts: { increment: 1 },
        lastError,
        status: final ? "failed" : "pending",
        claimedUntil: final ? null : new Date(Date.now() + options.holdAfterFailureMs(attemptsMade)),
      },
    });
    return final ? "failed" : "retrying";
  }
  await db.notificationSent.updateMany({
    where: { id: { in: ids } },
    data: { attempts: { increment: 1 }, status: "delivered", deliveredAt: new Date(), claimedUntil: null },
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
  claimToken: string,
): Promise<keyof DeliveryCounts | null> {
  if (retry.mode === "sweeper") {
    const outcome = await attemptDelivery(db, config, messageId, {
      maxAttempts: MAX_QUEUED_ATTEMPTS,
      claimToken,
      holdAfterFailureMs: retryBackoffMs,
    });
    if (outcome === "retrying") return "pending";
    return outcome === "nothing" ? null : outcome;
  }
  const maxAttempts = retry.delaysMs.length + 1;
  for (let attempt = 0; ; attempt += 1) {
    const delayMs = retry.delaysMs[attempt] ?? 0;
    const outcome = await attemptDelivery(db, config, messageId, {
      maxAttempts,
      claimToken,
      // Held through the pause and the next attempt: this caller retries it itself.
      holdAfterFailureMs: () => delayMs + CLAIM_LEASE_MS,
    });
    if (outcome !== "retrying") return outcome === "nothing" ? null : outcome;
    await sleep(delayMs);
  }
}

/**
 * Delivers messages a few at a time (300 agents on a per-certificate channel are 300 messages),
 * under one claim token: the one the rows were inserted with, or a sweep's.
 */
export async function deliverMessages(
  db: Database,
  config: NotificationsConfig,
  messageIds: readonly string[],
  retry: RetryPolicy,
  claimToken: string,
): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { delivered: 0, failed: 0, pending: 0 };
  let next = 0;
  const worker = async () => {
    while (next < messageIds.length) {
      const messageId = messageIds[next++] as string;
      const outcome = await deliverOne(db, config, messageId, retry, claimToken);
      if (outcome) counts[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DELIVERIES, messageIds.length) }, worker));
  return counts;
}

/**
 * The outbox sweeper: delivers pending messages nobody holds — inserted by an instance that died
 * before its first attempt, or whose retry is due. Each is claimed before it is sent, so a sweep
 * racing another sweep or a live run sends nothing twice. `asOf` is the sweep's clock.
 */
export async function sweepPendingMessages(
  db: Database,
  config: NotificationsConfig,
  options: { asOf?: Date; limit?: number } = {},
): Promise<DeliveryCounts & { messages: number }> {
  const asOf = options.asOf ?? new Date();
  const stale = await db.notificationSent.findMany({
    where: { status: "pending", OR: [{ claimedUntil: null }, { claimedUntil: { lte: asOf } }] },
    select: { messageId: true },
    orderBy: { id: "asc" },
    take: options.limit ?? 500,
  });
  const messageIds = [...new Set(stale.map((row) => row.messageId).filter((id) => id !== null))];
  const claimToken = randomUUID();
  const counts = { delivered: 0, failed: 0, pending: 0 };
  let next = 0;
  const worker = async () => {
    while (next < messageIds.length) {
      const messageId = messageIds[next++] as string;
      const outcome = await attemptDelivery(db, config, messageId, {
        maxAttempts: MAX_QUEUED_ATTEMPTS,
        claimToken,
        holdAfterFailureMs: retryBackoffMs,
        staleBefore: asOf,
      });
      if (outcome === "retrying") counts.pending += 1;
      else if (outcome !== "nothing") counts[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DELIVERIES, messageIds.length) }, worker));
  return { messages: messageIds.length, ...counts };
}
