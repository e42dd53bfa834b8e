import type {
  AuditPage,
  NotificationChannel,
  NotificationChannelCreated,
  NotificationChannelList,
  NotificationHistoryItem,
  NotificationHistoryPage,
  NotificationRunResult,
  NotificationSettings,
} from "@certfleet/contracts";
import { DAY_MS, dueExpiryNotifications } from "@certfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExpiryNotifications } from "../src/services/notifications/run";
import { type ReceivedMail, startSmtpServer, startWebhookReceiver } from "./notifications-support";
import { createTestApp, type TestApp } from "./support/app";
import { postHost } from "./support/estate";
import { createPki, type IssuedCertificate, type Pki } from "./support/reports";
import { certificateExpiringIn, report } from "./support/tasks";

let t: TestApp;
let pki: Pki;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
const certificates = new Map<string, IssuedCertificate>();
const channels: Record<string, NotificationChannelCreated> = {};
const started = new Date();
const at = (days: number) => new Date(started.getTime() + days * DAY_MS);

const A = "agent-a.contoso.com"; // 25 days left
const B = "agent-b.contoso.com"; // 12 days
const C = "agent-c.contoso.com"; // 5 days
const HEALTHY = "agent-ok.contoso.com"; // a year

/** A run as the scheduler makes it, at a chosen time, retrying failures in place after 10 ms. */
const run = (now: Date) =>
  runExpiryNotifications(t.db, t.app.config.notifications, now, {
    channels: "all",
    retry: { mode: "inline", delaysMs: [10, 10, 10] },
  });

async function createChannel(body: object): Promise<NotificationChannelCreated> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/notification-channels",
    headers: (await t.as("admin")).headers,
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<NotificationChannelCreated>();
}

async function history(query = ""): Promise<NotificationHistoryItem[]> {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/v1/notifications/history?limit=500${query}`,
    headers: (await t.as("lead")).headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<NotificationHistoryPage>().items;
}

const sentTo = (items: NotificationHistoryItem[]) =>
  items.map((item) => `${item.hostFqdn}@${item.thresholdDays}`).sort();
const mailsFor = (mails: ReceivedMail[], fqdn: string) => mails.filter((mail) => mail.raw.includes(fqdn));

beforeAll(async () => {
  [smtp, hooks, pki] = await Promise.all([startSmtpServer(), startWebhookReceiver(), createPki()]);
  t = await createTestApp({
    CERTFLEET_SMTP_URL: smtp.url,
    CERTFLEET_SMTP_FROM: "certfleet <certfleet@test.certfleet.local>",
    CERTFLEET_PUBLIC_URL: "https://certfleet.example.com",
    // The receivers listen on loopback, which webhooks may reach only when allowed.
    CERTFLEET_WEBHOOK_ALLOW: "127.0.0.1/32",
    // Webhook secrets are encrypted at rest with it (required with DATABASE_URL).
    CERTFLEET_SECRET_KEY: "a".repeat(64),
  });
  for (const [fqdn, days] of [
    [A, 25],
    [B, 12],
    [C, 5],
    [HEALTHY, 365],
  ] as const)
    certificates.set(fqdn, await postHost(t, pki, { fqdn, expiresInDays: days }));
}, 60_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await hooks?.close();
});

describe("expiry notifications", () => {
  it("creates channels; a webhook's secret is shown once and never again", async () => {
    channels.mail = await createChannel({
      kind: "email",
      name: "Ops mail",
      target: "ops@contoso.com, PKI@contoso.com",
    });
    channels.digest = await createChannel({
      kind: "email",
      name: "Daily digest",
      target: "leads@contoso.com",
      digest: true,
    });
    channels.hook = await createChannel({
      kind: "webhook",
      name: "Ticketing",
      target: hooks.url("/hooks/main"),
    });
    expect(channels.mail.secret).toBeNull();
    expect(channels.mail.target).toBe("ops@contoso.com, pki@contoso.com");
    expect(channels.hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    hooks.secrets.set("/hooks/main", channels.hook.secret as string);

    const listed = await t.app.inject({
      method: "GET",
      url: "/api/v1/notification-channels",
      headers: (await t.as("admin")).headers,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(channels.hook.secret as string);
    expect(listed.body).not.toContain('"secret"');
    expect(listed.json<NotificationChannelList>().items.map((channel) => channel.name)).toEqual([
      "Ops mail",
      "Daily digest",
      "Ticketing",
    ]);
  });

  it("sends one warning per due certificate at its threshold, and one digest listing them all", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/notifications/run",
      headers: (await t.as("admin")).headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    // 3 certificates × 3 channels recorded; 3 + 1 (digest) + 3 messages, all delivered.
    expect(response.json<NotificationRunResult>()).toMatchObject({
      channels: 3,
      due: 9,
      messages: 7,
      delivered: 7,
      failed: 0,
      pending: 0,
    });

    expect(sentTo(await history(`&channel=${channels.mail?.id}`))).toEqual([`${A}@30`, `${B}@14`, `${C}@7`]);
    const perCertificate = smtp.mails.filter((mail) => mail.to.includes("ops@contoso.com"));
    expect(perCertificate).toHaveLength(3);
    for (const mail of perCertificate) expect(mail.to).toEqual(["ops@contoso.com", "pki@contoso.com"]);
    expect(mailsFor(perCertificate, A)[0]?.subject).toContain(`${A}: SCOM certificate expires in 25 days`);
    expect(mailsFor(perCertificate, A)[0]?.raw).toContain(`https://certfleet.example.com/hosts/${A}`);
    expect(mailsFor(perCertificate, A)[0]?.raw).toContain(certificates.get(A)?.serialNumber as string);

    const digests = smtp.mails.filter((mail) => mail.to.includes("leads@contoso.com"));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.subject).toBe("[certfleet] Digest: 3 certificates expiring");
    for (const fqdn of [A, B, C]) expect(digests[0]?.raw).toContain(fqdn);
    expect(digests[0]?.raw).not.toContain(HEALTHY);
    const digestRows = await history(`&channel=${channels.digest?.id}`);
    expect(new Set(digestRows.map((row) => row.messageId)).size).toBe(1);
    expect(digestRows.every((row) => row.kind === "digest" && row.status === "delivered")).toBe(true);
  });

  it("signs webhooks with the channel secret (the receiver verifies every request)", () => {
    const main = hooks.received.filter((hook) => hook.path === "/hooks/main");
    expect(main).toHaveLength(3);
    expect(main.every((hook) => hook.answered === 204)).toBe(true);
    for (const hook of main) {
      expect(hook.delivery).toBe(hook.body.deliveryId);
      expect(Number(hook.timestamp)).toBeGreaterThan(started.getTime() / 1000 - 5);
      expect(hook.body.event).toBe("expiry");
    }
    expect(
      main.map((hook) => `${hook.body.items[0]?.host}@${hook.body.items[0]?.thresholdDays}`).sort(),
    ).toEqual([`${A}@30`, `${B}@14`, `${C}@7`]);
  });

  it("sends nothing the second time: once per certificate per threshold", async () => {
    const before = smtp.mails.length;
    expect(await run(new Date())).toMatchObject({ due: 0, messages: 0 });
    expect(smtp.mails.length).toBe(before);
    expect(hooks.received).toHaveLength(3);
  });

  it("is silent for certificates that have been replaced", async () => {
    const oldC = certificates.get(C) as IssuedCertificate;
    for (const fqdn of [B, C]) {
      const renewed = await certificateExpiringIn(pki, fqdn, 365);
      await report(t, fqdn, [renewed], renewed);
    }
    const before = smtp.mails.length;
    // Four days on, C's old certificate would be at its 1-day threshold had it still been bound…
    const wouldFire = dueExpiryNotifications(
      [{ hostFqdn: C, role: "Agent", certificateSha256: oldC.sha256, serialNumber: "", notAfter: at(5) }],
      [30, 14, 7, 1],
      at(4),
      new Map([[oldC.sha256, [7]]]),
    );
    expect(wouldFire.map((item) => item.thresholdDays)).toEqual([1]);
    // …but it is not bound any more, and the renewed certificates are a year away.
    expect(await run(at(4))).toMatchObject({ due: 0, messages: 0 });
    expect(smtp.mails.length).toBe(before);
  });

  it("sends exactly one new warning when a certificate crosses its next threshold", async () => {
    const mailsBefore = smtp.mails.length;
    const result = await run(at(11));
    // A (25 → 14 days left): one per channel. B's old certificate would have crossed 1 day: silent.
    expect(result).toMatchObject({ due: 3, messages: 3, delivered: 3 });
    const newMails = smtp.mails.slice(mailsBefore);
    expect(newMails).toHaveLength(2);
    expect(newMails.every((mail) => mail.raw.includes(A) && !mail.raw.includes(B))).toBe(true);
    expect(sentTo(await history(`&channel=${channels.mail?.id}`))).toEqual([
      `${A}@14`,
      `${A}@30`,
      `${B}@14`,
      `${C}@7`,
    ]);
    expect(await run(at(11))).toMatchObject({ due: 0 });
  });

  it("retries a failing webhook until it is delivered, recording the attempts", async () => {
    const flaky = await createChannel({ kind: "webhook", name: "Flaky", target: hooks.url("/hooks/flaky") });
    hooks.secrets.set("/hooks/flaky", flaky.secret as string);
    hooks.failNext.set("/hooks/flaky", 2);
    const result = await run(at(11));
    expect(result).toMatchObject({ due: 1, messages: 1, delivered: 1, failed: 0 });
    const requests = hooks.received.filter((hook) => hook.path === "/hooks/flaky");
    expect(requests.map((hook) => hook.answered)).toEqual([503, 503, 204]);
    expect(new Set(requests.map((hook) => hook.delivery)).size).toBe(1);
    const [row] = await history(`&channel=${flaky.id}`);
    expect(row).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastError: "webhook: HTTP 503",
      hostFqdn: A,
      thresholdDays: 14,
      recipient: new URL(hooks.url("/")).host,
    });
    expect(row?.deliveredAt).not.toBeNull();
  });

  it("gives up after the last retry and shows the failure in history", async () => {
    const dead = await createChannel({ kind: "webhook", name: "Dead", target: hooks.url("/hooks/dead") });
    hooks.secrets.set("/hooks/dead", dead.secret as string);
    hooks.failNext.set("/hooks/dead", 100);
    expect(await run(at(11))).toMatchObject({ messages: 1, delivered: 0, failed: 1 });
    const failed = await history("&status=failed");
    expect(failed.map((row) => [row.channelName, row.attempts, row.lastError])).toEqual([
      ["Dead", 4, "webhook: HTTP 503"],
    ]);
    const channelsAfter = await t.app.inject({
      method: "GET",
      url: "/api/v1/notification-channels",
      headers: (await t.as("admin")).headers,
    });
    const deadChannel = channelsAfter
      .json<NotificationChannelList>()
      .items.find((channel: NotificationChannel) => channel.id === dead.id);
    expect(deadChannel?.lastDelivery?.status).toBe("failed");
  });

  it("sends each warning once even when two instances run at the same moment", async () => {
    const twin = await createChannel({ kind: "webhook", name: "Twin", target: hooks.url("/hooks/twin") });
    hooks.secrets.set("/hooks/twin", twin.secret as string);
    const results = await Promise.all([run(at(11)), run(at(11))]);
    expect(results.map((result) => result.due).sort()).toEqual([0, 1]);
    expect(hooks.delivered("/hooks/twin")).toHaveLength(1);
  });

  it("sends a test message on request and records it", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: `/api/v1/notification-channels/${channels.mail?.id}/test`,
      headers: (await t.as("admin")).headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<NotificationHistoryItem>()).toMatchObject({
      kind: "test",
      status: "delivered",
      attempts: 1,
    });
    expect(smtp.mails.at(-1)?.subject).toBe("[certfleet] Test message for Ops mail");
  });

  it("pages history newest first and lets leads read it, but not viewers", async () => {
    const all = await history();
    const firstPage = await t.app.inject({
      method: "GET",
      url: "/api/v1/notifications/history?limit=2",
      headers: (await t.as("lead")).headers,
    });
    const page = firstPage.json<NotificationHistoryPage>();
    expect(page.items.map((item) => item.id)).toEqual(all.slice(0, 2).map((item) => item.id));
    const second = await t.app.inject({
      method: "GET",
      url: `/api/v1/notifications/history?limit=2&cursor=${page.nextCursor}`,
      headers: (await t.as("lead")).headers,
    });
    expect(second.json<NotificationHistoryPage>().items.map((item) => item.id)).toEqual(
      all.slice(2, 4).map((item) => item.id),
    );
    expect(new Set(all.map((item) => item.status))).toEqual(new Set(["delivered", "failed"]));
    expect((await t.get("/api/v1/notifications/history")).statusCode).toBe(403);
  });

  it("validates thresholds with a 422 naming the field, and audits a change", async () => {
    const admin = await t.as("admin");
    for (const thresholds of [[0], [14, 14], [1, 2, 3, 4, 5, 6, 7, 8, 9], [400], []]) {
      const response = await t.app.inject({
        method: "PUT",
        url: "/api/v1/notification-settings",
        headers: admin.headers,
        payload: { thresholds },
      });
      expect(response.statusCode, JSON.stringify(thresholds)).toBe(422);
      expect(response.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe("thresholds");
    }
    const saved = await t.app.inject({
      method: "PUT",
      url: "/api/v1/notification-settings",
      headers: admin.headers,
      payload: { thresholds: [7, 60, 21] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const settings = saved.json<NotificationSettings>();
    expect(settings).toMatchObject({
      thresholds: [60, 21, 7],
      smtpConfigured: true,
      smtpFrom: "certfleet <certfleet@test.certfleet.local>",
    });
    const read = await t.app.inject({
      method: "GET",
      url: "/api/v1/notification-settings",
      headers: admin.headers,
    });
    expect(read.body).not.toContain("smtp://");
    const audit = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=setting.update",
      headers: admin.headers,
    });
    expect(audit.json<AuditPage>().items[0]).toMatchObject({
      entityId: "notifications.thresholds",
      before: { thresholds: [30, 14, 7, 1] },
      after: { thresholds: [60, 21, 7] },
    });
    const runs = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=notifications.run",
      headers: admin.headers,
    });
    expect(runs.json<AuditPage>().items).toHaveLength(1);
    const created = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=channel.create",
      headers: admin.headers,
    });
    expect(JSON.stringify(created.json<AuditPage>().items)).not.toContain("whsec_");
  });

  it("disables, edits and deletes channels (a disabled channel gets nothing)", async () => {
    const admin = await t.as("admin");
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/notification-channels/${channels.hook?.id}`,
      headers: admin.headers,
      payload: { enabled: false, target: "ftp://example.com/" },
    });
    expect(patched.statusCode).toBe(422);
    expect(patched.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe("target");
    const disabled = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/notification-channels/${channels.hook?.id}`,
      headers: admin.headers,
      payload: { enabled: false },
    });
    expect(disabled.json<NotificationChannel>().enabled).toBe(false);
    const before = hooks.received.length;
    // 60 is now a threshold: the renewed certificates are still a year away, A has already been told.
    await postHost(t, pki, { fqdn: "agent-d.contoso.com", expiresInDays: 50 });
    const result = await run(at(0));
    expect(hooks.received.slice(before).filter((hook) => hook.path === "/hooks/main")).toEqual([]);
    expect(result.due).toBeGreaterThan(0);
    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/notification-channels/${channels.hook?.id}`,
      headers: admin.headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect((await history(`&channel=${channels.hook?.id}`)).length).toBe(0);
  });
});

describe("without SMTP, with the job queue", () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await createTestApp({
      CERTFLEET_JOBS: "true",
      CERTFLEET_WEBHOOK_ALLOW: "127.0.0.1",
      CERTFLEET_SECRET_KEY: "b".repeat(64),
    });
  }, 60_000);
  afterAll(async () => plain?.close());

  it("refuses e-mail channels with a 422 that says why, but accepts webhooks", async () => {
    await plain.app.ready();
    const admin = await plain.as("admin");
    const email = await plain.app.inject({
      method: "POST",
      url: "/api/v1/notification-channels",
      headers: admin.headers,
      payload: { kind: "email", name: "Ops", target: "ops@contoso.com" },
    });
    expect(email.statusCode).toBe(422);
    expect(email.json()).toMatchObject({ title: "E-mail is not configured", errors: [{ field: "kind" }] });
    const settings = await plain.app.inject({
      method: "GET",
      url: "/api/v1/notification-settings",
      headers: admin.headers,
    });
    expect(settings.json<NotificationSettings>()).toMatchObject({ smtpConfigured: false, smtpFrom: null });
  });

  it("schedules the hourly check, the daily digest and the outbox sweeper on the job queue", async () => {
    const schedules = await plain.app.jobs.queue.getSchedules();
    expect(schedules.map((schedule) => [schedule.name, schedule.cron]).sort()).toEqual([
      ["notifications-digest", "0 7 * * *"],
      ["notifications-expiry", "0 * * * *"],
      ["notifications-sweeper", "* * * * *"],
    ]);
  });

  it("tells of a new error finding once", async () => {
    const admin = await plain.as("admin");
    const errorsHook = await startWebhookReceiver();
    try {
      const created = await plain.app.inject({
        method: "POST",
        url: "/api/v1/notification-channels",
        headers: admin.headers,
        payload: { kind: "webhook", name: "Errors", target: errorsHook.url("/e"), notifyNewErrors: true },
      });
      errorsHook.secrets.set("/e", created.json<NotificationChannelCreated>().secret as string);
      await postHost(plain, pki, { fqdn: "broken.contoso.com", expiresInDays: -2 });
      const first = await runExpiryNotifications(plain.db, plain.app.config.notifications, new Date(), {
        channels: "all",
        retry: { mode: "inline", delaysMs: [] },
      });
      expect(first.newErrors).toBeGreaterThan(0);
      const newErrors = errorsHook
        .delivered("/e")
        .filter((hook) => hook.body.event === "new-error")
        .map((hook) => hook.body.items[0]);
      expect(newErrors.length).toBe(first.newErrors);
      expect(
        newErrors.every((item) => item?.host === "broken.contoso.com" && typeof item.ruleId === "string"),
      ).toBe(true);
      const second = await runExpiryNotifications(plain.db, plain.app.config.notifications, new Date(), {
        channels: "all",
        retry: { mode: "inline", delaysMs: [] },
      });
      expect(second).toMatchObject({ newErrors: 0, due: 0, messages: 0 });
    } finally {
      await errorsHook.close();
    }
  });
});
