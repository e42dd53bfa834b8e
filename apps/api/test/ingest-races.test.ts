/**
 * Reports for one host are applied in collectedAt order whatever instance receives them and however
 * they race: two API instances on one database, an older error report and a newer healthy one.
 */
import type { Report } from "@certfleet/contracts";
import { createDatabaseClient, type Database } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createTestApp, type TestApp } from "./support/app";
import {
  buildReport,
  createPki,
  type IssuedCertificate,
  issueCertificate,
  type Pki,
} from "./support/reports";

let t: TestApp;
let pki: Pki;
/** The second API instance, with its own connection pool, on the same database. */
let other: FastifyInstance;
let otherDb: Database;
/** Signed with SHA-1 and named for no host: every report binding it is an error. */
let broken: IssuedCertificate;
let serial = 0x100;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  otherDb = createDatabaseClient(t.databaseUrl, 4);
  other = await buildApp({
    config: loadConfig({ DATABASE_URL: t.databaseUrl, LOG_LEVEL: "silent", CERTFLEET_JOBS: "false" }),
    db: otherDb,
    databaseUrl: t.databaseUrl,
  });
  broken = await issueCertificate(pki, {
    fqdn: "wrong-name.contoso.com",
    serialHex: "3a0000000000000000000001",
    signatureHash: "SHA-1",
  });
}, 60_000);

afterAll(async () => {
  await other?.close();
  await otherDb?.$disconnect();
  await t?.close();
});

const post = (app: FastifyInstance, report: Report) =>
  app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: report,
  });

/** An error report at `olderAt` and a healthy one a minute later, for a new host. */
async function racingPair(fqdn: string, olderAt: Date) {
  serial += 1;
  const healthy = await issueCertificate(pki, {
    fqdn,
    serialHex: `3b${serial.toString(16).padStart(8, "0")}01`,
  });
  const older = buildReport(fqdn, [broken], { collectedAt: olderAt.toISOString() });
  const newer = buildReport(fqdn, [healthy], {
    collectedAt: new Date(olderAt.getTime() + 60_000).toISOString(),
  });
  return { older, newer, healthy };
}

/** The host ends on the newer report, and both are in its history. */
async function expectOnNewest(fqdn: string, newer: Report, healthy: IssuedCertificate) {
  const host = await t.db.host.findUniqueOrThrow({
    where: { fqdn },
    include: { reports: { orderBy: { collectedAt: "asc" } }, findings: true },
  });
  expect(host.lastReportAt?.toISOString(), fqdn).toBe(newer.collectedAt);
  expect(host.status, fqdn).toBe("ok");
  expect(host.boundCertificateSha256, fqdn).toBe(healthy.sha256);
  expect(
    host.findings.filter((finding) => finding.severity === "error"),
    fqdn,
  ).toEqual([]);
  expect(
    host.reports.map((report) => report.status),
    fqdn,
  ).toEqual(["error", "ok"]);
  const bindings = await t.db.hostBinding.findMany({ where: { hostId: host.id }, orderBy: { id: "asc" } });
  expect(bindings.at(-1)?.certificateSha256, fqdn).toBe(healthy.sha256);
}

describe("two API instances receiving an older error report and a newer healthy one at once", () => {
  it("always leave the host on the newer report, with both in its history (20 rounds)", async () => {
    const base = Date.now() - 3_600_000;
    for (let round = 0; round < 20; round++) {
      const fqdn = `race${round}.contoso.com`;
      const { older, newer, healthy } = await racingPair(fqdn, new Date(base + round * 120_000));
      // Alternate which instance gets which, and which is sent first.
      const [first, second] = round % 2 ? [t.app, other] : [other, t.app];
      const responses =
        round % 4 < 2
          ? await Promise.all([post(first, older), post(second, newer)])
          : (await Promise.all([post(second, newer), post(first, older)])).reverse();
      expect(responses.map((response) => response.statusCode)).toEqual([201, 201]);
      await expectOnNewest(fqdn, newer, healthy);
    }
  }, 120_000);

  it("keeps the newer report when the older one is held up inside its transaction", async () => {
    // A second session holds an uncommitted insert of the older report's management group: the older
    // report's transaction blocks on it (ON CONFLICT waits for the other insert to settle) while the
    // newer report arrives at the other instance. Then the hold is released.
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    const watcher = new pg.Client({ connectionString: t.databaseUrl });
    await Promise.all([holder.connect(), watcher.connect()]);
    try {
      const base = Date.now() - 2 * 3_600_000;
      for (let round = 0; round < 5; round++) {
        const fqdn = `slow${round}.contoso.com`;
        const { older, newer, healthy } = await racingPair(fqdn, new Date(base + round * 120_000));
        const group = `MG-SLOW-${round}`;
        older.host.managementGroup = group;
        await holder.query("BEGIN");
        await holder.query(`INSERT INTO "ManagementGroup" ("name") VALUES ($1)`, [group]);

        const olderResponse = post(t.app, older);
        await waitFor(watcher, `wait_event_type = 'Lock' AND query LIKE '%ManagementGroup%'`);
        const newerResponse = post(other, newer);
        // The newer one queues behind the older one's per-host lock (or, without it, would finish now).
        await Promise.race([
          waitFor(watcher, `wait_event_type = 'Lock' AND wait_event = 'advisory'`),
          newerResponse,
        ]);
        await holder.query("ROLLBACK");

        const responses = await Promise.all([olderResponse, newerResponse]);
        expect(responses.map((response) => response.statusCode)).toEqual([201, 201]);
        await expectOnNewest(fqdn, newer, healthy);
      }
    } finally {
      await holder.query("ROLLBACK").catch(() => undefined);
      await Promise.all([holder.end(), watcher.end()]);
    }
  }, 120_000);
});

/** Polls pg_stat_activity of this database until a backend matches `condition` (fixed SQL in this file). */
async function waitFor(client: pg.Client, condition: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rowCount } = await client.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${condition}`,
    );
    if (rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no backend with ${condition} within ${timeoutMs} ms`);
}
