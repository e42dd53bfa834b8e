/**
 * Unique conflicts answer 409 (never 500 or a loop), ingest's retry runs at most once and only for its
 * two conflicts, a lead can only reopen a host's newest task, and an automatic task change never
 * overwrites a person's concurrent one.
 */
import type { Problem, Task } from "@certfleet/contracts";
import Fastify from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import errors from "../src/plugins/errors";
import { ensureCollectorToken } from "../src/services/tokens";
import { createTestApp, rowCounts, type SignedIn, type TestApp } from "./support/app";
import { buildReport, createPki, type Pki } from "./support/reports";
import { certificateExpiringIn, detail, move, onlyTask, report, tasksFor } from "./support/tasks";

let t: TestApp;
let pki: Pki;
let lead: SignedIn;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  lead = await t.as("lead");
}, 60_000);
afterAll(async () => t?.close());

const postReport = (body: object) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: body,
  });

describe("reopening a task", () => {
  it("is refused with 409 for any task but the host's newest", async () => {
    const fqdn = "reopen-older.contoso.com";
    const first = await certificateExpiringIn(pki, fqdn, 8);
    await report(t, fqdn, [first], first);
    const older = await onlyTask(t, fqdn);
    expect((await move(t, lead, older, "cancel")).statusCode).toBe(200);
    // A different certificate nearing expiry is new work: a second task, open.
    const second = await certificateExpiringIn(pki, fqdn, 5);
    await report(t, fqdn, [second], second);
    const [newer] = (await tasksFor(t, fqdn)).filter((task) => task.id !== older.id) as Task[];
    expect(newer?.status).toBe("open");

    // Reopening the older one beside the open newer one used to break the one-open-task index (500).
    const cancelled = await detail(t, older.id);
    const refused = await move(t, lead, cancelled, "reopen");
    expect(refused.statusCode).toBe(409);
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(refused.json<Problem>().detail).toContain(`Task ${newer?.id} is this host's newest`);
    expect((await detail(t, older.id)).status).toBe("cancelled");

    // With the newer one closed too, still only the newest can be reopened.
    expect((await move(t, lead, newer as Task, "cancel")).statusCode).toBe(200);
    expect((await move(t, lead, await detail(t, older.id), "reopen")).statusCode).toBe(409);
    const reopened = await move(t, lead, await detail(t, (newer as Task).id), "reopen");
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json<Task>().status).toBe("reopened");
  });
});

describe("an automatic task change racing a person's", () => {
  it("re-reads the task and leaves the person's change standing", async () => {
    const fqdn = "auto-vs-lead.contoso.com";
    const old = await certificateExpiringIn(pki, fqdn, 10);
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await postReport(buildReport(fqdn, [old], { collectedAt: minutesAgo(30) }));
    const task = await onlyTask(t, fqdn);
    const renewed = await certificateExpiringIn(pki, fqdn, 365);
    // The renewed certificate was first seen bound 20 minutes ago; the report below, with a 20053 newer
    // than that, is the one that would close the task (issue 13: a first sighting alone never does).
    await postReport(buildReport(fqdn, [old, renewed], { bound: renewed, collectedAt: minutesAgo(20) }));
    expect((await onlyTask(t, fqdn)).status).toBe("open");

    // A lead's cancel is in flight (uncommitted, holding the task row) when the report that would close
    // the task arrives: ingest decides on the version it read, then finds the task moved on.
    const lead = new pg.Client({ connectionString: t.databaseUrl });
    const watcher = new pg.Client({ connectionString: t.databaseUrl });
    await Promise.all([lead.connect(), watcher.connect()]);
    try {
      await lead.query("BEGIN");
      await lead.query(
        `UPDATE "RenewalTask" SET "status" = 'cancelled', "closedAt" = now(), "version" = "version" + 1 WHERE "id" = $1`,
        [task.id],
      );
      const closing = postReport(buildReport(fqdn, [old, renewed], { bound: renewed }));
      await waitForLockWait(watcher, "RenewalTask");
      await lead.query("COMMIT");
      expect((await closing).statusCode).toBe(201);
    } finally {
      await lead.query("ROLLBACK").catch(() => undefined);
      await Promise.all([lead.end(), watcher.end()]);
    }
    const after = await detail(t, task.id);
    expect(after).toMatchObject({ status: "cancelled", version: task.version + 1 });
    expect(after.history.map((entry) => entry.action)).toEqual(["task.auto_create"]);
    const host = await t.db.host.findUniqueOrThrow({ where: { fqdn } });
    expect(host.boundCertificateSha256).toBe(renewed.sha256);
  });
});

describe("unique conflicts", () => {
  it("retries ingest once for its own conflict, then answers 409 problem, writing nothing", async () => {
    const fqdn = "conflict.contoso.com";
    const certificate = await certificateExpiringIn(pki, fqdn, 200);
    const body = buildReport(fqdn, [certificate]);
    const before = await rowCounts(t.db);
    await failReportInserts("Report_hostId_collectedAt_key");
    try {
      const response = await postReport(body);
      expect(response.statusCode).toBe(409);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json<Problem>()).toMatchObject({ status: 409, title: "Conflict" });
      expect(await attempts()).toBe(2);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER "test_conflict" ON "Report"`);
    }
    expect(await rowCounts(t.db)).toEqual(before);
    expect((await postReport(body)).statusCode).toBe(201);
  });

  it("does not retry any other conflict, in a batch too", async () => {
    const fqdn = "other-conflict.contoso.com";
    const certificate = await certificateExpiringIn(pki, fqdn, 200);
    const before = await rowCounts(t.db);
    await failReportInserts("Some_other_key");
    try {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/reports/batch",
        headers: { authorization: `Bearer ${t.token}` },
        payload: { reports: [buildReport(fqdn, [certificate])] },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json<Problem>().status).toBe(409);
      expect(await attempts()).toBe(1);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER "test_conflict" ON "Report"`);
    }
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("fails only the report that conflicts when single reports arriving together are written together", async () => {
    const reports = [];
    for (let i = 0; i < 12; i++) {
      const fqdn = `together${i}.contoso.com`;
      reports.push(buildReport(fqdn, [await certificateExpiringIn(pki, fqdn, 200)]));
    }
    // The fifth names no certificate of its store: a valid report, singled out by its registry value.
    reports[4] = {
      ...reports[4],
      registry: { channelCertificateSerialNumber: "DEADBEEF", channelCertificateHash: null },
    } as (typeof reports)[number];
    await failReportInserts("Some_other_key", `NEW."registrySerial" = 'DEADBEEF'`);
    try {
      const responses = await Promise.all(reports.map((body) => postReport(body)));
      expect(responses.map((response) => response.statusCode)).toEqual(
        reports.map((_, i) => (i === 4 ? 409 : 201)),
      );
      for (const [i, response] of responses.entries()) {
        if (i !== 4) expect(response.json().host.fqdn).toBe(`together${i}.contoso.com`);
      }
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER "test_conflict" ON "Report"`);
    }
    expect(await t.db.host.count({ where: { fqdn: { startsWith: "together" } } })).toBe(11);
  });

  it("writes single reports of two senders arriving together in groups of their own, each attributed to its sender", async () => {
    const other = "second-sender-token-0123456789abcdef";
    await ensureCollectorToken(t.db, other, "second sender");
    const reports = [];
    for (let i = 0; i < 24; i++) {
      const fqdn = `mixed${i}.contoso.com`;
      reports.push(buildReport(fqdn, [await certificateExpiringIn(pki, fqdn, 200)]));
    }
    const sentBy = (i: number) => (i % 3 === 0 ? other : t.token);
    // Twice: the second wave finds each sender's last group size and gathers for it.
    for (const wave of [0, 1]) {
      const responses = await Promise.all(
        reports.map((body, i) =>
          t.app.inject({
            method: "POST",
            url: "/api/v1/reports",
            headers: { authorization: `Bearer ${sentBy(i)}` },
            payload: {
              ...body,
              collectedAt: new Date(Date.parse(body.collectedAt) + wave * 1000).toISOString(),
            },
          }),
        ),
      );
      expect(responses.map((response) => response.statusCode)).toEqual(reports.map(() => 201));
      for (const [i, response] of responses.entries()) {
        expect(response.json().host.fqdn).toBe(`mixed${i}.contoso.com`);
      }
    }
    const stored = await t.db.report.findMany({
      where: { host: { fqdn: { startsWith: "mixed" } } },
      select: { host: { select: { fqdn: true } }, token: { select: { name: true } } },
    });
    expect(stored).toHaveLength(48);
    const secondSender = stored
      .filter((row) => row.token?.name === "second sender")
      .map((row) => row.host.fqdn);
    expect(new Set(secondSender)).toEqual(
      new Set(reports.flatMap((_, i) => (i % 3 === 0 ? [`mixed${i}.contoso.com`] : []))),
    );
    expect(secondSender).toHaveLength(16);
  });

  it("answers 409 problem for a unique violation from a typed query, a raw one and plain pg", async () => {
    await t.db.managementGroup.create({ data: { name: "MG-TAKEN" } });
    const app = Fastify();
    await app.register(errors);
    app.post("/typed", async () => t.db.managementGroup.create({ data: { name: "MG-TAKEN" } }));
    app.post(
      "/raw",
      async () => t.db.$executeRaw`INSERT INTO "ManagementGroup" ("name") VALUES ('MG-TAKEN')`,
    );
    app.post("/pg", async () => {
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      try {
        return await client.query(`INSERT INTO "ManagementGroup" ("name") VALUES ('MG-TAKEN')`);
      } finally {
        await client.end();
      }
    });
    try {
      for (const url of ["/typed", "/raw", "/pg"]) {
        const response = await app.inject({ method: "POST", url });
        expect(response.statusCode, url).toBe(409);
        expect(response.headers["content-type"], url).toMatch(/^application\/problem\+json/);
        expect(response.json<Problem>(), url).toMatchObject({
          status: 409,
          title: "Conflict",
          instance: url,
        });
      }
    } finally {
      await app.close();
    }
  });
});

/**
 * Every insert into Report fails with a unique violation naming `constraint`, counting attempts in a
 * sequence (sequences are not transactional, so rolled-back attempts still count).
 */
async function failReportInserts(constraint: string, when = "true"): Promise<void> {
  await t.db.$executeRawUnsafe(`DROP SEQUENCE IF EXISTS "test_conflict_attempts"`);
  await t.db.$executeRawUnsafe(`CREATE SEQUENCE "test_conflict_attempts"`);
  await t.db.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION test_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT (${when}) THEN RETURN NEW; END IF;
      PERFORM nextval('test_conflict_attempts');
      RAISE EXCEPTION USING ERRCODE = 'unique_violation', CONSTRAINT = '${constraint}',
        MESSAGE = 'duplicate key value violates unique constraint "${constraint}"';
    END $$`);
  await t.db.$executeRawUnsafe(
    `CREATE TRIGGER "test_conflict" BEFORE INSERT ON "Report" FOR EACH ROW EXECUTE FUNCTION test_conflict()`,
  );
}

async function attempts(): Promise<number> {
  const [row] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM "test_conflict_attempts"`,
  );
  return Number(row?.n ?? 0);
}

/** Until some backend of this database waits for a lock while running a statement naming `table`. */
async function waitForLockWait(client: pg.Client, table: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rowCount } = await client.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
         AND query LIKE '%' || $1 || '%'`,
      [table],
    );
    if (rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no backend waited for a lock on ${table} within ${timeoutMs} ms`);
}
