import type { FastifyInstance } from "fastify";
import type { NotificationsConfig } from "../../config";
import { DEFAULT_INLINE_RETRY_DELAYS_MS, type RetryPolicy, sweepPendingMessages } from "./delivery";
import { runExpiryNotifications } from "./run";

/** Hourly: per-certificate channels. */
export const EXPIRY_JOB = "notifications-expiry";
/** Daily at 07:00 UTC: digest channels get one message listing everything due since the last one. */
export const DIGEST_JOB = "notifications-digest";
/**
 * Every minute: the outbox sweeper. Delivers pending messages whose claim ran out — left by an
 * instance that died before its first attempt, or failed ones whose backoff has passed.
 */
export const SWEEP_JOB = "notifications-sweeper";

/** Failed messages are retried by the sweeper when this instance runs the job queue, else in place. */
export function retryPolicy(app: FastifyInstance): RetryPolicy {
  return app.jobs.enabled
    ? { mode: "sweeper" }
    : { mode: "inline", delaysMs: DEFAULT_INLINE_RETRY_DELAYS_MS };
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
  app.jobs.define(
    SWEEP_JOB,
    async () => {
      const swept = await sweepPendingMessages(app.db, config);
      if (swept.messages > 0) app.log.info({ job: SWEEP_JOB, ...swept }, "notifications swept");
    },
    // The next tick is the retry.
    { retryLimit: 0 },
  );
  app.addHook("onReady", async () => {
    if (!app.jobs.enabled) return;
    await app.jobs.queue.schedule(EXPIRY_JOB, "0 * * * *", {}, { tz: "UTC" });
    await app.jobs.queue.schedule(DIGEST_JOB, "0 7 * * *", {}, { tz: "UTC" });
    await app.jobs.queue.schedule(SWEEP_JOB, "* * * * *", {}, { tz: "UTC" });
  });
}
