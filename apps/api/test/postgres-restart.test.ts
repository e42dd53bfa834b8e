import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report, StreamMessage } from "@certfleet/contracts";
import {
  createDatabaseClient,
  type Database,
  migrateDatabase,
  type RunningEmbeddedPostgres,
  startEmbeddedPostgres,
} from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { ensureCollectorToken } from "../src/services/tokens";
import { bootstrapAdmin } from "../src/services/users";
import { signIn, TEST_ADMIN } from "./support/app";
import { freePort } from "./support/global-setup";
import { buildReport, createPki, issueCertificate } from "./support/reports";

/**
 * The database going away mid-ingest, on a Postgres of this file's own (the shared one must not
 * restart under other files): every answer is 2xx or 503 with Retry-After, no accepted report is
 * lost, health follows the database, and stream clients get each host.updated exactly once.
 */
const REPORTS = 200;
const IN_FLIGHT = 6;
const TOKEN = `restart-${"r".repeat(40)}`;

let dataDir: string;
let port: number;
let postgres: RunningEmbeddedPostgres | null = null;
let db: Database;
let app: FastifyInstance;
let baseUrl: string;
const reports: Report[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-restart-pg-"));
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir, port });
  await migrateDatabase(postgres.url);
  const config = loadConfig({
    DATABASE_URL: postgres.url,
    LOG_LEVEL: "silent",
    CERTFLEET_JOBS: "false",
  });
  // A short connect timeout: requests during the outage fail fast instead of queueing.
  db = createDatabaseClient(postgres.url, {
    poolSize: 4,
    ...config.databaseTimeouts,
    connectTimeoutMs: 2_000,
  });
  await ensureCollectorToken(db, TOKEN, "restart test collector");
  await bootstrapAdmin(db, TEST_ADMIN, { mustChangePassword: false });
  app = await buildApp({ config, db, databaseUrl: postgres.url });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  baseUrl = `http://127.0.0.1:${address.port}`;
  const pki = await createPki();
  for (let n = 0; n < REPORTS; n++) {
    const fqdn = `restart${String(n).padStart(3, "0")}.contoso.com`;
    const certificate = await issueCertificate(pki, {
      fqdn,
      serialHex: `2e${n.toString(16).padStart(6, "0")}a0b0c0d0e0f`,
    });
    reports.push(
      buildReport(fqdn, [certificate], { collectedAt: new Date(Date.now() - 60_000).toISOString() }),
    );
  }
});

afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await postgres?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function health(): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(`${baseUrl}/api/health`);
  await response.body?.cancel();
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

describe("Postgres restarting mid-ingest", () => {
  it("answers 2xx or 503 with Retry-After, loses no accepted report, and pushes each change once", async () => {
    const viewer = await signIn(app, TEST_ADMIN.email, TEST_ADMIN.password);
    const received: StreamMessage[] = [];
    const socket = new WebSocket(`${baseUrl.replace("http", "ws")}/api/v1/stream`, {
      headers: { cookie: viewer.headers.cookie },
    });
    socket.on("message", (data) => received.push(JSON.parse(String(data)) as StreamMessage));
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));

    const answers: { fqdn: string; collectedAt: string; status: number; retryAfter: string | null }[] = [];
    let next = 0;
    const post = async () => {
      for (let index = next++; index < REPORTS; index = next++) {
        const report = reports[index] as Report;
        const response = await fetch(`${baseUrl}/api/v1/reports`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify(report),
        });
        answers.push({
          fqdn: report.host.fqdn,
          collectedAt: report.collectedAt,
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
        });
        const body = await response.text();
        if (response.status >= 500 && response.status !== 503) throw new Error(`${response.status}: ${body}`);
        // Like a collector, back off after a 503 (briefly: Retry-After itself would make the test slow).
        await new Promise((resolve) => setTimeout(resolve, response.status === 503 ? 150 : 10));
      }
    };
    const restart = async () => {
      while (answers.length < REPORTS / 4) await new Promise((resolve) => setTimeout(resolve, 10));
      await postgres?.stop();
      postgres = null;
      const down = await health();
      expect(down.status).toBe(503);
      expect(Number(down.retryAfter)).toBeGreaterThan(0);
      // Let a good share of the reports meet the outage before the database comes back.
      const downAt = answers.length;
      while (answers.length < downAt + REPORTS / 8) await new Promise((resolve) => setTimeout(resolve, 10));
      postgres = await startEmbeddedPostgres({ dataDir, port });
    };
    await Promise.all([restart(), ...Array.from({ length: IN_FLIGHT }, post)]);

    expect(answers).toHaveLength(REPORTS);
    const unexpected = answers.filter((answer) => !(answer.status < 300 || answer.status === 503));
    expect(unexpected).toEqual([]);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0); // the outage really was met
    for (const answer of refused) expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    const accepted = answers.filter((answer) => answer.status < 300);
    expect(accepted.length).toBeGreaterThan(REPORTS / 3);

    // Health follows the database back (the pool reconnects on demand).
    const deadline = Date.now() + 10_000;
    let after = await health();
    while (after.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await health();
    }
    expect(after.status).toBe(200);

    // The pool still has all its connections: transactions cut by the restart gave theirs back
    // (Prisma alone leaks them), so twice the pool size of transactions at once all finish.
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 8 }, () => db.$transaction((tx) => tx.$queryRaw`SELECT pg_sleep(0.1)::text`)),
    );
    expect(Date.now() - started).toBeLessThan(2_000);

    // Every accepted report is stored.
    const stored = await db.report.findMany({
      select: { collectedAt: true, host: { select: { fqdn: true } } },
    });
    const storedKeys = new Set(stored.map((row) => `${row.host.fqdn} ${row.collectedAt.toISOString()}`));
    const lost = accepted.filter(
      (answer) => !storedKeys.has(`${answer.fqdn} ${new Date(answer.collectedAt).toISOString()}`),
    );
    expect(lost).toEqual([]);

    // The stream client, connected throughout, gets one host.updated per stored event: none lost
    // to the listener's dropped connection, none twice.
    const events = await db.changeEvent.findMany({ where: { type: "host.updated" }, select: { id: true } });
    const expectedIds = events.map((event) => Number(event.id)).sort((a, b) => a - b);
    const pushedIds = () =>
      received.flatMap((message) => (message.type === "host.updated" ? [message.id] : []));
    const pushDeadline = Date.now() + 15_000;
    while (pushedIds().length < expectedIds.length && Date.now() < pushDeadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pushedIds()).toEqual(expectedIds);
    socket.close();
  }, 120_000);
});
