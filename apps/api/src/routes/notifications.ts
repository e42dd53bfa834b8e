import {
  NotificationChannelCreatedSchema,
  NotificationChannelCreateSchema,
  NotificationChannelListSchema,
  NotificationChannelParamsSchema,
  NotificationChannelSchema,
  NotificationChannelUpdateSchema,
  NotificationHistoryItemSchema,
  NotificationHistoryPageSchema,
  NotificationHistoryQuerySchema,
  NotificationRunResultSchema,
  NotificationSettingsSchema,
  NotificationSettingsUpdateSchema,
  ProblemSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { auditActor } from "../plugins/auth";
import { recordAudit } from "../services/audit";
import {
  createChannel,
  deleteChannel,
  listChannels,
  sendTestMessage,
  updateChannel,
} from "../services/notifications/channels";
import { listNotificationHistory } from "../services/notifications/history";
import { registerNotificationJobs, retryPolicy } from "../services/notifications/jobs";
import { runExpiryNotifications } from "../services/notifications/run";
import { encryptStoredSecrets, resolveSecretKey } from "../services/notifications/secret-box";
import { readNotificationSettings, updateThresholds } from "../services/notifications/settings";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;
const tags = ["notifications"];

const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The effective settings: with the secret key resolved (on the embedded database, from its key file).
  const config = { ...app.config.notifications, secretKey: await resolveSecretKey(app.config) };
  registerNotificationJobs(app, config);
  // Not awaited by start-up: the API must come up (and answer health with 503) while the database is
  // away, so a failed check is logged and tried again at the next start.
  app.addHook("onReady", async () => {
    void reviewStoredSecrets().catch((error: unknown) =>
      app.log.warn({ err: error }, "checking stored webhook secrets failed; tried again at the next start"),
    );
  });
  async function reviewStoredSecrets(): Promise<void> {
    if (!config.secretKey) {
      const clear = await app.db.notificationChannel.count({ where: { secret: { not: null } } });
      if (clear > 0)
        app.log.warn(
          { channels: clear },
          "webhook secrets are stored in clear: set CERTFLEET_SECRET_KEY to encrypt them at rest",
        );
      return;
    }
    const encrypted = await encryptStoredSecrets(app.db, config.secretKey);
    if (encrypted > 0) app.log.info({ channels: encrypted }, "encrypted webhook secrets stored in clear");
  }

  app.get(
    "/api/v1/notification-channels",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Notification channels (e-mail lists, webhooks) with their last delivery; never secrets",
        response: { 200: NotificationChannelListSchema, ...errors },
      },
    },
    async () => ({ items: await listChannels(app.db) }),
  );

  app.post(
    "/api/v1/notification-channels",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Add a channel; a webhook's signing secret is in this answer only",
        description: "E-mail channels need CERTFLEET_SMTP_URL and CERTFLEET_SMTP_FROM (422 otherwise).",
        body: NotificationChannelCreateSchema,
        response: { 201: NotificationChannelCreatedSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createChannel(app.db, config, auditActor(request), request.body)),
  );

  app.patch(
    "/api/v1/notification-channels/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Rename, retarget, enable/disable a channel, or switch digest / new-error notices",
        params: NotificationChannelParamsSchema,
        body: NotificationChannelUpdateSchema,
        response: { 200: NotificationChannelSchema, 404: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => updateChannel(app.db, config, auditActor(request), request.params.id, request.body),
  );

  app.delete(
    "/api/v1/notification-channels/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a channel and its history (the audit log keeps what it was)",
        params: NotificationChannelParamsSchema,
        response: { 204: Type.Null({ description: "Deleted" }), 404: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await deleteChannel(app.db, auditActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/v1/notification-channels/:id/test",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Send a test message now (one attempt) and answer how it went",
        params: NotificationChannelParamsSchema,
        response: { 200: NotificationHistoryItemSchema, 404: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => sendTestMessage(app.db, config, auditActor(request), request.params.id),
  );

  app.get(
    "/api/v1/notification-settings",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Expiry warning thresholds, and whether SMTP is configured (never its credentials)",
        response: { 200: NotificationSettingsSchema, ...errors },
      },
    },
    async () => readNotificationSettings(app.db, config),
  );

  app.put(
    "/api/v1/notification-settings",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Set the expiry warning thresholds (1–8 distinct days from 1 to 365; audited)",
        body: NotificationSettingsUpdateSchema,
        response: { 200: NotificationSettingsSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => updateThresholds(app.db, config, auditActor(request), request.body.thresholds),
  );

  app.post(
    "/api/v1/notifications/run",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Run the expiry check now for every enabled channel, digests included; answers the counts",
        response: { 200: NotificationRunResultSchema, ...errors },
      },
    },
    async (request) => {
      const result = await runExpiryNotifications(app.db, config, new Date(), {
        channels: "all",
        retry: retryPolicy(app),
      });
      await recordAudit(app.db, auditActor(request), {
        action: "notifications.run",
        entityType: "notification",
        after: result,
      });
      return result;
    },
  );

  app.get(
    "/api/v1/notifications/history",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "What was sent, to whom, and whether it arrived; newest first",
        querystring: NotificationHistoryQuerySchema,
        response: { 200: NotificationHistoryPageSchema, ...errors },
      },
    },
    async (request) => listNotificationHistory(app.db, request.query),
  );
};

export default notificationsRoutes;
