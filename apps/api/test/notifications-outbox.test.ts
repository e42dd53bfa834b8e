import { randomUUID } from "node:crypto";
import type { NotificationChannelCreated, NotificationHistoryPage } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAIM_LEASE_MS, sweepPendingMessages } from "../src/services/notifications/delivery";
import { SWEEP_JOB } from "../src/services/notifications/jobs";
import { recordExpiryNotifications } from "../src/services/notifications/run";
import { startWebhookReceiver } from "./notifications-support";
import { createTestApp, type TestApp } from "./support/app";
import { postHost } from "./support/estate";
import { createPki, type Pki } from "./support/reports";

const ENV = { CERTFLEET_WEBHOOK_ALLOW: "127.0.0.1/32", CERTFLEET_SECRET_KEY: "d".repeat(64) };

let pki: Pki;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  [pki, hooks] = await Promise.all([createPki(), startWebhookReceiver()]);
});
afterAll(async () => hooks?.close());

async function addWebhook(t: TestApp, path: string): Promise<NotificationChannelCreated> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/notification-channels",
    headers: (await t.as("admin")).headers,
    payload: { kind: "webhook", name: `Outbox ${path}`, target: hooks.url(path) },
  });
  expect(response.statusCode, response.body).toBe(201);
  const channel = response.json<NotificationChannelCreated>();
  hooks.secrets.set(path, channel.secret as string);
  return channel;
}

async function historyOf(t: TestApp, channelId: number) {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/v1/notifications/history?channel=${channelId}`,
    headers: (await t.as("admin")).headers,
  });
  return response.json<NotificationHistoryPage>().items;
}

/** What an instance leaves behind when it dies right after committing a run's messages. */
async function recordAndDie(t: TestApp): Promise<string[]> {
  const { messageIds } = await recordExpiryNotifications(t.db, t.app.config.notifications, new Date(), {
    channels: "all",
    claimToken: randomUUID(),
  });
  return messageIds;
}

describe("the notification outbox", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ENV);
  }, 60_000);
  afterAll(async () => t?.close());

  it("delivers a pending message whose instance died before the first attempt", async () => {
    const channel = await addWebhook(t, "/outbox");
    await postHost(t, pki, { fqdn: "orphan.contoso.com", expiresInDays: 5 });
    const messageIds = await recordAndDie(t);
    expect(messageIds).toHaveLength(1);
    expect(hooks.received.filter((hook) => hook.path === "/outbox")).toHaveLength(0);
    expect((await historyOf(t, channel.id)).map((row) => row.status)).toEqual(["pending"]);

    // While the dead run's claim lasts, a sweep leaves the message alone (that run may be alive).
    expect(await sweepPendingMessages(t.db, t.app.config.notifications)).toMatchObject({ messages: 0 });
    expect(hooks.received.filter((hook) => hook.path === "/outbox")).toHaveLength(0);

    // Once the claim has run out, the sweeper takes it over and delivers it, once.
    const later = new Date(Date.now() + CLAIM_LEASE_MS + 1_000);
    expect(await sweepPendingMessages(t.db, t.app.config.notifications, { asOf: later })).toMatchObject({
      messages: 1,
      delivered: 1,
    });
    expect(await sweepPendingMessages(t.db, t.app.config.notifications, { asOf: later })).toMatchObject({
      messages: 0,
    });
    const delivered = hooks.delivered("/outbox");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.delivery).toBe(messageIds[0]);
    expect(delivered[0]?.body.items[0]).toMatchObject({ host: "orphan.contoso.com" });
    expect(await historyOf(t, channel.id)).toMatchObject([{ status: "delivered", attempts: 1 }]);
  });

  it("has the sweeper retry a failed attempt after its backoff", async () => {
    const channel = await addWebhook(t, "/outbox-retry");
    await postHost(t, pki, { fqdn: "flaky.contoso.com", expiresInDays: 3 });
    // The new channel is due two warnings: this host's, and the one from the test above.
    expect(await recordAndDie(t)).toHaveLength(3);
    hooks.failNext.set("/outbox-retry", 2);
    const later = new Date(Date.now() + CLAIM_LEASE_MS + 1_000);
    expect(await sweepPendingMessages(t.db, t.app.config.notifications, { asOf: later })).toMatchObject({
      delivered: 1, // the /outbox channel's warning about this host
      pending: 2,
    });
    expect(await historyOf(t, channel.id)).toMatchObject([
      { status: "pending", attempts: 1, lastError: "webhook: HTTP 503" },
      { status: "pending", attempts: 1, lastError: "webhook: HTTP 503" },
    ]);
    // Not before the backoff (30 s after the failure) ...
    expect(await sweepPendingMessages(t.db, t.app.config.notifications)).toMatchObject({ messages: 0 });
    // ... and then delivered.
    const afterBackoff = new Date(Date.now() + 31_000);
    expect(
      await sweepPendingMessages(t.db, t.app.config.notifications, { asOf: afterBackoff }),
    ).toMatchObject({ delivered: 2 });
    expect(await historyOf(t, channel.id)).toMatchObject([
      { status: "delivered", attempts: 2 },
      { status: "delivered", attempts: 2 },
    ]);
    expect(hooks.delivered("/outbox-retry")).toHaveLength(2);
  });
});

describe("the sweeper on the job queue", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ...ENV, CERTFLEET_JOBS: "true" });
    await t.app.ready();
  }, 60_000);
  afterAll(async () => t?.close());

  it("runs every minute, and a sweep job delivers what a dead instance left", async () => {
    const schedules = await t.app.jobs.queue.getSchedules();
    expect(schedules.find((schedule) => schedule.name === SWEEP_JOB)?.cron).toBe("* * * * *");

    const channel = await addWebhook(t, "/outbox-job");
    await postHost(t, pki, { fqdn: "left-behind.contoso.com", expiresInDays: 5 });
    await recordAndDie(t);
    // Two minutes later, as far as the dead run's claim is concerned.
    await t.db.notificationSent.updateMany({
      where: { channelId: channel.id },
      data: { claimedUntil: new Date(Date.now() - 1_000) },
    });
    await t.app.jobs.queue.send(SWEEP_JOB, {});
    await expect.poll(() => hooks.delivered("/outbox-job").length, { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await historyOf(t, channel.id))[0]?.status).toBe("delivered");
  }, 40_000);
});
