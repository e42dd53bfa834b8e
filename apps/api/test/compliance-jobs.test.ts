import { createDatabaseClient } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { COMPLIANCE_QUEUE, scheduleQueueName } from "../src/services/compliance/scheduler";
import { createTestApp, type TestApp } from "./support/app";
import { postHost } from "./support/estate";
import { createPki } from "./support/reports";

let t: TestApp;
let second: FastifyInstance;

beforeAll(async () => {
  const [app, pki] = await Promise.all([createTestApp({ CERTFLEET_JOBS: "true" }), createPki()]);
  t = app;
  await postHost(t, pki, { fqdn: "ms01.contoso.com", role: "ManagementServer" });
  await postHost(t, pki, { fqdn: "agent01.contoso.com", expiresInDays: -2 });
  // A second API instance on the same database: both run workers for every queue.
  second = await buildApp({
    config: t.app.config,
    db: createDatabaseClient(t.databaseUrl, 2),
    databaseUrl: t.databaseUrl,
  });
  await Promise.all([t.app.ready(), second.ready()]);
}, 120_000);
afterAll(async () => {
  await second?.close();
  await t?.close();
});

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function createSchedule(payload: object): Promise<{ id: number }> {
  const lead = await t.as("lead");
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/report-schedules",
    headers: lead.headers,
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: number }>();
}

describe("scheduled compliance reports on the job queue", () => {
  it("runs a sent job exactly once although both instances have workers", async () => {
    // Every Monday at 07:00 in Berlin: it will not fire during the test, so only the sent job runs.
    const schedule = await createSchedule({
      name: "Weekly audit",
      cron: "0 7 * * 1",
      timezone: "Europe/Berlin",
    });
    await t.app.jobs.queue.send(COMPLIANCE_QUEUE, { scheduleId: schedule.id });
    const reports = await waitFor(
      () => t.db.complianceReport.findMany({ where: { scheduleId: schedule.id } }),
      (rows) => rows.length > 0,
      20_000,
    );
    // Give a (wrong) second run every chance to land before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const all = await t.db.complianceReport.findMany({ where: { scheduleId: schedule.id } });
    expect(all).toHaveLength(1);
    expect(reports[0]?.hostCount).toBe(2);
    expect(reports[0]?.title).toMatch(/^Weekly audit — \d{4}-\d{2}-\d{2}$/);
    const stored = await t.db.reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(stored.lastRunAt).not.toBeNull();
    const audit = await t.db.auditEvent.findFirst({
      where: { action: "report.create", entityId: String(reports[0]?.id) },
    });
    expect(audit?.actorEmail).toBeNull();

    // The schedule exists in pg-boss, in its time zone.
    const rows = await t.db.$queryRaw<{ name: string; cron: string; timezone: string }[]>`
      SELECT name, cron, timezone FROM pgboss.schedule WHERE name = ${scheduleQueueName(schedule.id)}`;
    expect(rows).toEqual([
      { name: scheduleQueueName(schedule.id), cron: "0 7 * * 1", timezone: "Europe/Berlin" },
    ]);
  }, 40_000);

  it("fires an every-minute schedule once per tick across two instances, and stops when disabled", async () => {
    const schedule = await createSchedule({ name: "Minutely", cron: "* * * * *", timezone: "UTC" });
    // pg-boss checks crons every 30 s (whichever instance gets there first), then hands the job on.
    const reports = await waitFor(
      () => t.db.complianceReport.findMany({ where: { scheduleId: schedule.id } }),
      (rows) => rows.length > 0,
      60_000,
    );
    expect(reports).toHaveLength(1);
    const lead = await t.as("lead");
    const disabled = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/report-schedules/${schedule.id}`,
      headers: lead.headers,
      payload: { enabled: false },
    });
    expect(disabled.statusCode).toBe(200);
    const left = await t.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pgboss.schedule WHERE name = ${scheduleQueueName(schedule.id)}`;
    expect(left[0]?.n).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // One tick produced one report: the two instances did not both run it.
    const minutes = new Set(
      (await t.db.complianceReport.findMany({ where: { scheduleId: schedule.id } })).map((report) =>
        report.takenAt.toISOString().slice(0, 16),
      ),
    );
    const count = await t.db.complianceReport.count({ where: { scheduleId: schedule.id } });
    expect(count).toBe(minutes.size);
  }, 75_000);
});
