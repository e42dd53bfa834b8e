import { createDatabaseClient } from "@certfleet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import {
  closeEndedSignInFailureWindows,
  recordSignInFailure,
  SIGN_IN_FAILURE_WINDOW_MS,
} from "../src/services/auth/sign-in-failures";
import { createTestApp, createUser, type TestApp } from "./support/app";

/** Repeated failed sign-ins: one audit entry per account (or address) and window, with a count. */

let t: TestApp;
beforeAll(async () => {
  // Neither the per-address limit nor the account backoff may stop the ten attempts.
  t = await createTestApp({ CERTFLEET_LOGIN_ATTEMPTS: "100", CERTFLEET_LOGIN_ACCOUNT_FAILURES: "100" });
});
afterAll(async () => t?.close());

const afterTheWindow = () => new Date(Date.now() + SIGN_IN_FAILURE_WINDOW_MS + 1000);

async function failureEntries(actorEmail?: string) {
  return t.db.auditEvent.findMany({
    where: { action: "auth.login_failed", ...(actorEmail ? { actorEmail } : {}) },
    orderBy: { id: "asc" },
  });
}

async function newAccount(email: string, password: string): Promise<number> {
  return createUser(t.app, await t.as("admin"), { email, name: email, role: "operator", password });
}

describe("failed sign-ins in the audit log", () => {
  it("10 wrong passwords, on two API instances at once, become ONE audit entry with count 10", async () => {
    const email = "target@test.certfleet.local";
    await newAccount(email, "the-right-password-1");
    const second = await buildApp({
      config: t.app.config,
      db: createDatabaseClient(t.databaseUrl, 2),
      databaseUrl: t.databaseUrl,
    });
    try {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? second : t.app).inject({
            method: "POST",
            url: "/api/v1/auth/login",
            payload: { email, password: `wrong-guess-${i}` },
          }),
        ),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(401));
    } finally {
      await second.close();
    }
    // Counted, not yet written: the window is still open.
    expect(await failureEntries(email)).toHaveLength(0);
    const pending = await t.db.signInFailureWindow.findMany();
    expect(pending.map((w) => w.count)).toEqual([10]);

    expect(await closeEndedSignInFailureWindows(t.db, afterTheWindow())).toBe(1);
    const entries = await failureEntries(email);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorEmail: email, ip: "127.0.0.1", entityType: "session" });
    expect(entries[0]?.actorId).not.toBeNull();
    expect(entries[0]?.after).toMatchObject({
      count: 10,
      per: "account",
      reasons: { "password: wrong password": 10 },
      addresses: ["127.0.0.1"],
      closedBy: "window ended",
    });
    // Closing again writes nothing more.
    expect(await closeEndedSignInFailureWindows(t.db, afterTheWindow())).toBe(0);
    expect(await failureEntries(email)).toHaveLength(1);
  });

  it("a successful sign-in writes the account's failures first, then the sign-in", async () => {
    const email = "typo@test.certfleet.local";
    await newAccount(email, "the-right-password-2");
    for (let i = 0; i < 3; i++)
      await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: "nope" } });
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password: "the-right-password-2" },
    });
    expect(ok.statusCode).toBe(200);
    const entries = await t.db.auditEvent.findMany({
      where: { actorEmail: email, action: { startsWith: "auth.login" } },
      orderBy: { id: "asc" },
    });
    expect(entries.map((e) => e.action)).toEqual(["auth.login_failed", "auth.login"]);
    expect(entries[0]?.after).toMatchObject({ count: 3, closedBy: "signed in" });
    expect(await t.db.signInFailureWindow.count({ where: { email } })).toBe(0);
  });

  it("unknown e-mails from one address become one entry for the address, listing what was tried", async () => {
    await closeEndedSignInFailureWindows(t.db, afterTheWindow());
    for (let i = 0; i < 5; i++)
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: `nobody-${i}@test.certfleet.local`, password: "whatever" },
      });
    await closeEndedSignInFailureWindows(t.db, afterTheWindow());
    const entries = (await failureEntries()).filter((e) => (e.after as { per: string }).per === "address");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorEmail: null, actorId: null, ip: "127.0.0.1" });
    expect(entries[0]?.after).toMatchObject({
      count: 5,
      reasons: { "password: unknown e-mail": 5 },
      emails: Array.from({ length: 5 }, (_, i) => `nobody-${i}@test.certfleet.local`),
    });
  });

  it("a failure after its window ended writes that window and opens a new one", async () => {
    // A window that ended while no sweeper ran (inserting is allowed, only rewriting is not).
    await t.db.signInFailureWindow.create({
      data: {
        key: "address:192.0.2.7",
        startedAt: new Date(Date.now() - 2 * SIGN_IN_FAILURE_WINDOW_MS),
        endsAt: new Date(Date.now() - SIGN_IN_FAILURE_WINDOW_MS),
        lastAt: new Date(Date.now() - SIGN_IN_FAILURE_WINDOW_MS - 1000),
        count: 4,
        addresses: ["192.0.2.7"],
        emails: [],
        reasons: { "password: unknown e-mail": 4 },
      },
    });
    const before = (await failureEntries()).length;
    const count = await recordSignInFailure(t.db, {
      method: "password",
      reason: "unknown e-mail",
      ip: "192.0.2.7",
      account: null,
      email: "late@test.certfleet.local",
    });
    expect(count).toBe(1);
    const written = (await failureEntries()).slice(before);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ ip: "192.0.2.7", after: { count: 4 } });
    expect(
      (await t.db.signInFailureWindow.findUniqueOrThrow({ where: { key: "address:192.0.2.7" } })).count,
    ).toBe(1);
  });

  it("a pending count cannot be lowered or its window moved (database trigger)", async () => {
    await recordSignInFailure(t.db, {
      method: "password",
      reason: "wrong password",
      ip: "198.51.100.1",
      account: null,
      email: null,
    });
    const key = "address:198.51.100.1";
    await expect(t.db.signInFailureWindow.update({ where: { key }, data: { count: 0 } })).rejects.toThrow(
      /only grow/,
    );
    await expect(
      t.db.signInFailureWindow.update({
        where: { key },
        data: { endsAt: new Date(Date.now() + 86_400_000) },
      }),
    ).rejects.toThrow(/only grow/);
  });

  it("keeps the lists bounded while the count counts every attempt", async () => {
    for (let i = 0; i < 25; i++)
      await recordSignInFailure(t.db, {
        method: "oidc",
        reason: `code exchange failed: variant ${i}`,
        ip: "203.0.113.9",
        account: null,
        email: `spray-${i}@example.test`,
      });
    const row = await t.db.signInFailureWindow.findUniqueOrThrow({ where: { key: "address:203.0.113.9" } });
    expect(row.count).toBe(25);
    expect(row.emails as string[]).toHaveLength(20);
    const reasons = row.reasons as Record<string, number>;
    expect(Object.keys(reasons)).toHaveLength(21);
    expect(reasons.other).toBe(5);
  });
});
