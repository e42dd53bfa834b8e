import type { BatchResult, CollectorTokenCreated } from "@certfleet/contracts";
import { createDatabaseClient, type Database } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createTestApp, type TestApp } from "./support/app";
import { buildReport, createPki, issueCertificate, type Pki } from "./support/reports";

const LIMIT = 1000;
let t: TestApp;
let pki: Pki;
/** A second API instance on the same database: the budget must hold across both. */
let other: { app: FastifyInstance; db: Database };

beforeAll(async () => {
  const env = { CERTFLEET_TOKEN_REPORTS_PER_MINUTE: String(LIMIT) };
  [t, pki] = await Promise.all([createTestApp(env), createPki()]);
  const db = createDatabaseClient(t.databaseUrl, 2);
  const config = loadConfig({
    DATABASE_URL: t.databaseUrl,
    LOG_LEVEL: "silent",
    CERTFLEET_JOBS: "false",
    ...env,
  });
  other = { app: await buildApp({ config, db, databaseUrl: t.databaseUrl }), db };
});
afterAll(async () => {
  await other?.app.close();
  await other?.db.$disconnect();
  await t?.close();
});

async function createToken(name: string): Promise<CollectorTokenCreated> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/tokens",
    headers: (await t.as("admin")).headers,
    payload: { name },
  });
  return response.json<CollectorTokenCreated>();
}

let serial = 0x9500;
async function healthyReport(fqdn: string) {
  serial += 1;
  const certificate = await issueCertificate(pki, { fqdn, serialHex: `4b${serial.toString(16)}a0b0c0d0e0f` });
  return buildReport(fqdn, [certificate]);
}

describe("per-token report budget", () => {
  it("counts a batch's items, answers 429 with Retry-After on another instance, and leaves other tokens alone", async () => {
    const [busy, quiet] = await Promise.all([createToken("busy collector"), createToken("quiet collector")]);

    // 1,000 (invalid) reports in one batch on instance one: the whole minute's budget of this token.
    const batch = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports/batch",
      headers: { authorization: `Bearer ${busy.token}` },
      payload: { reports: Array.from({ length: LIMIT }, () => ({})) },
    });
    expect(batch.statusCode).toBe(200);
    expect(batch.json<BatchResult>().rejected).toBe(LIMIT);

    // The next report of the same token, on the other instance: refused, nothing written.
    const hostsBefore = await t.db.host.count();
    const refused = await other.app.inject({
      method: "POST",
      url: "/api/v1/reports",
      headers: { authorization: `Bearer ${busy.token}` },
      payload: await healthyReport("ms30.contoso.com"),
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json<{ detail: string }>().detail).toContain('"busy collector"');
    expect(await t.db.host.count()).toBe(hostsBefore);

    // Refused requests do not spend budget either: still 429, still the same window.
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports",
      headers: { authorization: `Bearer ${busy.token}` },
      payload: await healthyReport("ms31.contoso.com"),
    });
    expect(again.statusCode).toBe(429);
    const bucket = await t.db.collectorTokenBudget.findUniqueOrThrow({ where: { tokenId: busy.id } });
    expect(bucket.count).toBe(LIMIT);

    // Another token, on either instance, is untouched by the busy one.
    for (const app of [t.app, other.app]) {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/reports",
        headers: { authorization: `Bearer ${quiet.token}` },
        payload: await healthyReport(`ag-${app === t.app ? 1 : 2}.contoso.com`),
      });
      expect(response.statusCode, response.body).toBe(201);
    }
  });

  it("keeps the counters in an UNLOGGED table: no WAL flush on every report", async () => {
    const [table] = await t.db.$queryRaw<{ persistence: string }[]>`
      SELECT relpersistence::text AS "persistence" FROM pg_class WHERE relname = 'CollectorTokenBudget'`;
    expect(table?.persistence).toBe("u");
  });

  it("opens a new window once the old one has passed", async () => {
    const token = await createToken("recovering collector");
    await t.db.collectorTokenBudget.create({
      data: { tokenId: token.id, count: LIMIT, resetAt: new Date(Date.now() - 1000) },
    });
    const response = await other.app.inject({
      method: "POST",
      url: "/api/v1/reports",
      headers: { authorization: `Bearer ${token.token}` },
      payload: await healthyReport("ms32.contoso.com"),
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it("reserves the budget in leases: a busy token costs a statement per lease, not per report", async () => {
    const token = await createToken("leasing collector");
    const bucket = () => t.db.collectorTokenBudget.findUniqueOrThrow({ where: { tokenId: token.id } });
    const sendSingles = async (count: number, from: number) => {
      for (let n = from; n < from + count; n++) {
        const response = await t.app.inject({
          method: "POST",
          url: "/api/v1/reports",
          headers: { authorization: `Bearer ${token.token}` },
          payload: await healthyReport(`ag${n}.lease.contoso.com`),
        });
        expect(response.statusCode, response.body).toBe(201);
      }
    };
    // The first lease is the report itself; then 2, 4, 8, and 10 (1% of the 1,000 a minute) at most.
    await sendSingles(1, 0);
    expect((await bucket()).count).toBe(1);
    await sendSingles(2, 1);
    expect((await bucket()).count).toBe(3);
    await sendSingles(6, 3);
    // 1 + 2 + 4 reserved for the first 7 reports, then a lease of 8 for the 8th and 9th.
    expect((await bucket()).count).toBe(15);
  });

  it("never lets a token past its budget when two instances lease from it at once", async () => {
    const token = await createToken("racing collector");
    // Batches of 5 (invalid, so cheap) are smaller than a lease and so go through the leases.
    const send = (app: FastifyInstance) =>
      app.inject({
        method: "POST",
        url: "/api/v1/reports/batch",
        headers: { authorization: `Bearer ${token.token}` },
        payload: { reports: Array.from({ length: 5 }, () => ({})) },
      });
    let allowed = 0;
    let refusedInARow = 0;
    while (refusedInARow < 4) {
      const answers = await Promise.all([send(t.app), send(other.app), send(t.app), send(other.app)]);
      for (const answer of answers) expect([200, 429]).toContain(answer.statusCode);
      const passed = answers.filter((answer) => answer.statusCode === 200).length;
      allowed += passed * 5;
      refusedInARow = passed === 0 ? refusedInARow + 1 : 0;
    }
    expect(allowed).toBeLessThanOrEqual(LIMIT);
    // Unused leases of both instances (at most 10 reports each) are all that may go unspent.
    expect(allowed).toBeGreaterThanOrEqual(LIMIT - 2 * 10);
    expect(
      (await t.db.collectorTokenBudget.findUniqueOrThrow({ where: { tokenId: token.id } })).count,
    ).toBeLessThanOrEqual(LIMIT);
  });
});
