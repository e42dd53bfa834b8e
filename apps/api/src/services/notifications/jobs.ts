import type { FastifyInstance } from "fastify";
import type { NotificationsConfig } from "../../config";
import {
  attemptDelivery,
  DEFAULT_INLINE_RETRY_DELAYS_MS,
  MAX_QUEUED_ATTEMPTS,
  type RetryPolicy,
} from "./delivery";
import { runExpiryNotifications } from "./run";

/** Hourly: per-certificate channels. */
export const EXPIRY_JOB = "notifications-expiry";
/** Daily at 07:00 UTC: digest channels get one message listing everything due since the last one. */
export const DIGEST_JOB = "notifications-digest";
/** One failed message, retried with exponential backoff (30 s, 1 min, 2 min, …). */
export const DELIVERY_JOB = "notification-delivery";

/** Failed messages go to the job queue when this instance runs it, else are retried in place. */
export function retryPolicy(app: FastifyInstance): RetryPolicy {
  if (!app.jobs.enabled) return { mode: "inline", delaysMs: DEFAULT_INLINE_RETRY_DELAYS_MS };
  return {
    mode: "queue",
    enqueue: async (messageId) => {
      await app.jobs.queue.send(DELIVERY_JOB, { messageId });
    },
  };
}

/**
 * The notification jobs. pg-boss fires each cron tick once across all instances, and the
 * NotificationSent unique key makes a warning go once even if two runs overlap.
 */
export function registerNotificationJobs(app: FastifyInstance, config: NotificationsConfig): void {
  for (const [name, channels] of [
    [EXPIRY_JOB, "immediate"],
    [DIGEST_JOB, "digest"],
  ] as const) {
    app.jobs.define(
      name,
      async () => {
        const result = await runExpiryNotifications(app.db, config, new Date(), {
          channels,
          retry: retryPolicy(app),
        });
        app.log.info({ job: name, ...result }, "notifications run");
      },
      { retryLimit: 2, retryDelay: 60, retryBackoff: true },
    );
  }
  app.jobs.define<{ messageId: string }>(
    DELIVERY_JOB,
    async ({ messageId }) => {
      const outcome = await attemptDelivery(app.db, config, messageId, MAX_QUEUED_ATTEMPTS);
      // Throwing hands the job back to pg-boss for the next, later, retry.
      if (outcome === "retrying") throw new Error(`notification ${messageId} not delivered yet`);
    },
    { retryLimit: MAX_QUEUED_ATTEMPTS, retryDelay: 30, retryBackoff: true },
  );
  app.addHook("onReady", async () => {
    if (!app.jobs.enabled) return;
    await app.jobs.queue.schedule(EXPIRY_JOB, "0 * * * *", {}, { tz: "UTC" });
    await app.jobs.queue.schedule(DIGEST_JOB, "0 7 * * *", {}, { tz: "UTC" });
  });
}
