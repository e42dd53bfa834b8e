import { createServer, type Server } from "node:net";
import { createDatabaseClient } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { databaseUnavailable } from "../src/services/database-errors";
import { createTestApp, type TestApp } from "./support/app";

let t: TestApp;
/** Same database, a 300 ms lock_timeout. */
let lockImpatient: FastifyInstance;
/** Same database, a 300 ms statement_timeout (the lock timeout stays long, so this one fires first). */
let statementImpatient: FastifyInstance;
const closers: (() => Promise<void>)[] = [];

/** Another API instance on the test database, its client built from these settings as server.ts does. */
async function instanceWith(env: Record<string, string>): Promise<FastifyInstance> {
  const config = loadConfig({
    DATABASE_URL: t.databaseUrl,
    LOG_LEVEL: "silent",
    CERTFLEET_JOBS: "false",
    ...env,
  });
  const db = createDatabaseClient(t.databaseUrl, { poolSize: 2, ...config.databaseTimeouts });
  const app = await buildApp({ config, db, databaseUrl: t.databaseUrl });
  closers.push(async () => {
    await app.close();
    await db.$disconnect();
  });
  return app;
}

beforeAll(async () => {
  t = await createTestApp();
  await t.as("viewer");
  lockImpatient = await instanceWith({ CERTFLEET_DB_LOCK_TIMEOUT_MS: "300" });
  statementImpatient = await instanceWith({ CERTFLEET_DB_STATEMENT_TIMEOUT_MS: "300" });
});
afterAll(async () => {
  for (const close of closers) await close();
  await t?.close();
});

/** Holds an exclusive lock on the Host table from another session while `work` runs. */
async function withHostTableLocked<T>(work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN; LOCK TABLE "Host" IN ACCESS EXCLUSIVE MODE');
    return await work();
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    await client.end();
  }
}

describe("database timeouts", () => {
  it("sets connect, statement, idle-in-transaction and lock timeouts on every pooled connection", async () => {
    // The defaults, but for a lock timeout set as CERTFLEET_DB_LOCK_TIMEOUT_MS would.
    const config = loadConfig({ DATABASE_URL: t.databaseUrl, CERTFLEET_DB_LOCK_TIMEOUT_MS: "300" });
    const db = createDatabaseClient(t.databaseUrl, { poolSize: 1, ...config.databaseTimeouts });
    try {
      const [row] = await db.$queryRaw<Record<string, string>[]>`
        SELECT current_setting('statement_timeout') AS statement,
               current_setting('idle_in_transaction_session_timeout') AS idle,
               current_setting('lock_timeout') AS lock`;
      expect(row).toEqual({ statement: "30s", idle: "1min", lock: "300ms" });
    } finally {
      await db.$disconnect();
    }
  });

  it("a request stuck behind a lock gets 503 with Retry-After once lock_timeout passes, not 500", async () => {
    const viewer = await t.as("viewer");
    const response = await withHostTableLocked(async () => {
      const started = Date.now();
      const answer = await lockImpatient.inject({
        method: "GET",
        url: "/api/v1/hosts",
        headers: viewer.headers,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      return answer;
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
    expect(response.json()).toMatchObject({ status: 503, title: "Database unavailable" });
    expect(response.json().detail).toContain("lock_timeout");
    // Nothing lingers: the same request answers once the lock is gone.
    expect((await t.get("/api/v1/hosts")).statusCode).toBe(200);
  });

  it("a statement cut by statement_timeout gets 503 with Retry-After, not 500", async () => {
    const viewer = await t.as("viewer");
    const response = await withHostTableLocked(() =>
      statementImpatient.inject({ method: "GET", url: "/api/v1/hosts", headers: viewer.headers }),
    );
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
    expect(response.json().detail).toContain("statement_timeout");
  });

  it("a report posted while the tables are locked is refused with 503 and not half-written", async () => {
    const before = await t.db.report.count();
    const response = await withHostTableLocked(() =>
      lockImpatient.inject({
        method: "POST",
        url: "/api/v1/reports",
        headers: { authorization: `Bearer ${t.token}` },
        payload: {
          schemaVersion: 1,
          collectedAt: new Date().toISOString(),
          host: {
            fqdn: "locked.contoso.com",
            role: "Agent",
            managementGroup: "MG-PROD",
            domainJoined: true,
            primaryServer: null,
          },
          registry: { channelCertificateSerialNumber: null, channelCertificateHash: null },
          certificates: [],
          events: [],
        },
      }),
    );
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
    expect(await t.db.report.count()).toBe(before);
  });
});

describe("a database that accepts connections but never answers", () => {
  it("health answers 503 within its probe budget, and requests get 503 once the connect timeout passes", async () => {
    // A TCP listener that never speaks: the pg handshake hangs, as with a wedged server or a black hole.
    const sockets: import("node:net").Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    if (!address || typeof address === "string") throw new Error("not listening");
    const url = `postgresql://nobody@127.0.0.1:${address.port}/none`;
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent", CERTFLEET_JOBS: "false" });
    const db = createDatabaseClient(url, {
      poolSize: 2,
      ...config.databaseTimeouts,
      connectTimeoutMs: 1_000,
    });
    const app = await buildApp({ config, db, databaseUrl: url });
    try {
      // Start-up waits for the change listener's own connect timeout (5 s), then keeps retrying in the background.
      await app.ready();
      let started = Date.now();
      const health = await app.inject({ method: "GET", url: "/api/health" });
      expect(health.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(Number(health.headers["retry-after"])).toBeGreaterThan(0);

      started = Date.now();
      const report = await app.inject({
        method: "POST",
        url: "/api/v1/reports",
        headers: { authorization: `Bearer ${t.token}` },
        payload: { schemaVersion: 1 },
      });
      expect(report.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(report.json().detail).toMatch(
        /timed out (connecting to the database|waiting for a database connection)/,
      );
    } finally {
      await app.close();
      await db.$disconnect().catch(() => {});
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("databaseUnavailable", () => {
  const pgError = (code: string, message = "server said no") =>
    Object.assign(new Error(message), { code, severity: "FATAL" });

  it("recognises connection loss, restarts and our own timeouts in every wrapping", () => {
    const cases: unknown[] = [
      pgError("57P01", "terminating connection due to administrator command"),
      pgError("57P03", "the database system is starting up"),
      pgError("53300", "sorry, too many clients already"),
      pgError("57014", "canceling statement due to statement timeout"),
      pgError("55P03", "canceling statement due to lock timeout"),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
        code: "ECONNREFUSED",
        syscall: "connect",
      }),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      // The Prisma adapter's shape: a DriverAdapterError whose cause carries kind and code.
      Object.assign(new Error("DriverAdapterError"), { cause: { kind: "postgres", code: "57P01" } }),
      Object.assign(new Error("DriverAdapterError"), { cause: { kind: "DatabaseNotReachable" } }),
      Object.assign(new Error("DriverAdapterError"), { cause: { kind: "TooManyConnections" } }),
      // Prisma's own codes, and a cause chain.
      Object.assign(new Error("Timed out fetching a new connection from the connection pool"), {
        code: "P2024",
      }),
      new Error("ingest failed", { cause: new Error("Connection terminated unexpectedly") }),
    ];
    for (const error of cases) expect(databaseUnavailable(error), String(error)).not.toBeNull();
  });

  it("leaves real bugs and conflicts alone", () => {
    for (const error of [
      pgError("23505", "duplicate key value violates unique constraint"),
      pgError("42P01", 'relation "nope" does not exist'),
      Object.assign(new Error("Unique constraint failed"), { code: "P2002" }),
      new TypeError("Cannot read properties of undefined"),
      null,
      "a string",
    ])
      expect(databaseUnavailable(error)).toBeNull();
  });
});
