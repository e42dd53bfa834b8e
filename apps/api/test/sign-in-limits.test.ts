import { createDatabaseClient } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { accountWaitMs, HashCapacityExceeded, PasswordHashGate } from "../src/services/auth/login-limits";
import { createTestApp, createUser, type TestApp } from "./support/app";

let t: TestApp;
/**
 * A second instance on the same database that trusts one proxy hop (CERTFLEET_TRUST_PROXY=1) and
 * starts the per-account backoff after 3 failures (the first instance allows 100, so its tests
 * see the per-address window alone).
 */
let behindProxy: FastifyInstance;
let closeBehindProxy: () => Promise<void>;

beforeAll(async () => {
  t = await createTestApp({
    CERTFLEET_LOGIN_ATTEMPTS: "3",
    CERTFLEET_LOGIN_ACCOUNT_FAILURES: "100",
    CERTFLEET_PASSWORD_HASH_CONCURRENCY: "1",
  });
  const db = createDatabaseClient(t.databaseUrl, 2);
  behindProxy = await buildApp({
    config: loadConfig({
      DATABASE_URL: t.databaseUrl,
      LOG_LEVEL: "silent",
      CERTFLEET_JOBS: "false",
      CERTFLEET_LOGIN_ATTEMPTS: "3",
      CERTFLEET_LOGIN_ACCOUNT_FAILURES: "3",
      CERTFLEET_TRUST_PROXY: "1",
    }),
    db,
    databaseUrl: t.databaseUrl,
  });
  closeBehindProxy = async () => {
    await behindProxy.close();
    await db.$disconnect();
  };
});
afterAll(async () => {
  await closeBehindProxy?.();
  await t?.close();
});

const login = (app: FastifyInstance, email: string, password: string, forwardedFor?: string) =>
  app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  });

async function newUser(name: string): Promise<{ email: string; password: string }> {
  const user = { email: `${name}@test.certfleet.local`, password: `${name}-right-password` };
  await createUser(t.app, await t.as("admin"), { ...user, name, role: "viewer" });
  return user;
}

describe("sign-in limits key on the real client address", () => {
  it("does not let a client escape the limit with a different X-Forwarded-For per attempt", async () => {
    const answers = [];
    for (let n = 1; n <= 4; n++)
      answers.push(await login(t.app, "spoof@test.certfleet.local", "wrong-password", `198.51.100.${n}`));
    expect(answers.map((answer) => answer.statusCode)).toEqual([401, 401, 401, 429]);
    expect(Number(answers[3]?.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("with CERTFLEET_TRUST_PROXY=1 counts the forwarded address, and records it on the session", async () => {
    const guessed = await newUser("proxied");
    // Each attempt comes from another client behind the proxy: each address has its own window of 3.
    const statuses: number[] = [];
    for (let n = 1; n <= 4; n++)
      statuses.push(
        (await login(behindProxy, guessed.email, "wrong-password", `198.51.100.${n}`)).statusCode,
      );
    expect(statuses).toEqual([401, 401, 401, 401]);

    const user = await newUser("forwarded");
    expect((await login(behindProxy, user.email, user.password, "203.0.113.7")).statusCode).toBe(200);
    // The instance without CERTFLEET_TRUST_PROXY ignores the header: the socket address counts.
    expect((await login(t.app, user.email, user.password, "203.0.113.8")).statusCode).toBe(200);
    const sessions = await t.db.session.findMany({
      where: { user: { email: user.email } },
      orderBy: { createdAt: "asc" },
    });
    expect(sessions.map((session) => session.ip)).toEqual(["203.0.113.7", "127.0.0.1"]);
  });
});

describe("per-account backoff", () => {
  it("after the free failures makes each attempt wait, then lets the right password in", async () => {
    const user = await newUser("backoff");
    // Three free failures, then the fourth starts a 1 s wait; every attempt from another address,
    // so the per-address window is not what stops the fifth.
    const answers: number[] = [];
    for (let n = 1; n <= 4; n++)
      answers.push((await login(behindProxy, user.email, "wrong-password", `10.0.0.${n}`)).statusCode);
    expect(answers).toEqual([401, 401, 401, 401]);
    const early = await login(behindProxy, user.email, user.password, "10.0.0.5");
    expect(early.statusCode).toBe(429);
    expect(early.headers["retry-after"]).toBe("1");
    expect(early.json()).toMatchObject({ title: "Too many sign-in attempts" });
    // The wait is the account's, kept in Postgres: the other instance applies it too.
    expect((await login(t.app, user.email, user.password)).statusCode).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await login(behindProxy, user.email, user.password, "10.0.0.6")).statusCode).toBe(200);
    // A success clears the count: the next wrong password is free again.
    expect((await login(behindProxy, user.email, "wrong-password", "10.0.0.7")).statusCode).toBe(401);
    expect((await login(behindProxy, user.email, user.password, "10.0.0.8")).statusCode).toBe(200);
  });

  it("doubles the wait with each further failure, up to a minute", async () => {
    const user = await newUser("doubling");
    const waits: number[] = [];
    for (let n = 1; n <= 10; n++) {
      // Skip the wait itself (the test is about its length), then fail once more.
      await t.db
        .$executeRaw`UPDATE "RateLimitBucket" SET "resetAt" = now() WHERE "key" = ${`login-account:${user.email}`}`;
      const response = await login(behindProxy, user.email, "wrong-password", `10.1.0.${n}`);
      expect(response.statusCode).toBe(401);
      waits.push(Math.ceil((await accountWaitMs(t.db, user.email)) / 1000));
    }
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 60]);
  });
});

describe("concurrent password hashes", () => {
  it("checks at most the configured number at once and refuses the overflow fast with 503 and Retry-After", async () => {
    // CERTFLEET_PASSWORD_HASH_CONCURRENCY=1: one running, four queued, the rest refused.
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, n) => login(t.app, `burst${n}@test.certfleet.local`, "wrong-password")),
    );
    const statuses = burst.map((response) => response.statusCode);
    expect(statuses.filter((status) => status !== 401 && status !== 503)).toEqual([]);
    const refused = burst.filter((response) => response.statusCode === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(response.headers["retry-after"]).toBe("1");
      expect(response.json()).toMatchObject({ status: 503, title: "Sign-in busy" });
    }
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(5);
  });

  it("gate: never runs more than its concurrency, queues a few, refuses the rest", async () => {
    const gate = new PasswordHashGate(2, 3);
    let running = 0;
    let peak = 0;
    const work = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return "done";
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => gate.run(work)));
    expect(peak).toBe(2);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(5);
    const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(rejected).toHaveLength(3);
    for (const outcome of rejected)
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(HashCapacityExceeded);
    // Slots come back: a later run goes straight through.
    expect(await gate.run(work)).toBe("done");
  });
});
