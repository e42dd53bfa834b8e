import type { AuditPage, Session } from "@certfleet/contracts";
import { createDatabaseClient } from "@certfleet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { pruneExpiredSessions } from "../src/services/auth/sessions";
import {
  closeEndedSignInFailureWindows,
  SIGN_IN_FAILURE_WINDOW_MS,
} from "../src/services/auth/sign-in-failures";
import { pruneRateLimitBuckets } from "../src/services/rate-limit-store";
import { hashToken } from "../src/services/tokens";
import { bootstrapAdmin } from "../src/services/users";
import { cookieHeader, createTestApp, createUser, signIn, TEST_ADMIN, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CERTFLEET_LOGIN_ATTEMPTS: "3" });
});
afterAll(async () => t?.close());

const login = (email: string, password: string) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });

async function auditActions(): Promise<string[]> {
  // A fresh session: these tests sign the admin out everywhere.
  const admin = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
  const page = (
    await t.app.inject({ method: "GET", url: "/api/v1/audit?limit=500", headers: admin.headers })
  ).json<AuditPage>();
  return page.items.map((entry) => entry.action);
}

describe("sign-in", () => {
  it("sets an HTTP-only, SameSite session cookie and answers with the user and a CSRF token", async () => {
    const response = await login(TEST_ADMIN.email.toUpperCase(), TEST_ADMIN.password);
    expect(response.statusCode).toBe(200);
    const session = response.json<Session>();
    expect(session.user).toMatchObject({ email: TEST_ADMIN.email, role: "admin" });
    expect(session.csrfToken.length).toBeGreaterThan(20);
    const cookie = response.cookies.find((c) => c.name === "certfleet_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(String(cookie?.value).length).toBeGreaterThanOrEqual(43);
    const me = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/session",
      headers: { cookie: cookieHeader(response) },
    });
    expect(me.json<Session>().user.email).toBe(TEST_ADMIN.email);
  });

  it("stores passwords as argon2id hashes and sessions only as hashes", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: TEST_ADMIN.email } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const response = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    const token = response.cookies.find((c) => c.name === "certfleet_session")?.value as string;
    expect(await t.db.session.findUnique({ where: { id: token } })).toBeNull();
  });

  it("says the same for a wrong password and an unknown e-mail, and audits both with the reason", async () => {
    await t.as("viewer");
    const wrong = await login("viewer@test.certfleet.local", "not-the-password");
    const unknown = await login("nobody@test.certfleet.local", "whatever-password");
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.json()).toMatchObject({ title: "Wrong e-mail or password" });
      expect(response.cookies).toEqual([]);
    }
    // Failures are counted per account (or address) and written when their window closes.
    await closeEndedSignInFailureWindows(t.db, new Date(Date.now() + SIGN_IN_FAILURE_WINDOW_MS));
    const admin = await t.as("admin");
    const failures = (
      await t.app.inject({
        method: "GET",
        url: "/api/v1/audit?action=auth.login_failed",
        headers: admin.headers,
      })
    ).json<AuditPage>();
    const byAccount = failures.items.find((entry) => entry.actor === "viewer@test.certfleet.local");
    expect(byAccount?.after).toMatchObject({
      count: 1,
      per: "account",
      reasons: { "password: wrong password": 1 },
    });
    // An e-mail without an account: the address's entry lists what was tried.
    const byAddress = failures.items.find((entry) => entry.actor === null);
    expect(byAddress?.after).toMatchObject({
      count: 1,
      per: "address",
      emails: ["nobody@test.certfleet.local"],
      reasons: { "password: unknown e-mail": 1 },
    });
  });

  it("rejects a malformed body with 422 naming the field, before counting an attempt", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "x" },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["email"]),
    );
  });

  it("limits attempts per e-mail and address, across API instances sharing the database", async () => {
    const second = await buildApp({
      config: t.app.config,
      db: createDatabaseClient(t.databaseUrl, 2),
      databaseUrl: t.databaseUrl,
    });
    const email = "target@test.certfleet.local";
    const statuses: number[] = [];
    for (const app of [t.app, second, t.app, second]) {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email, password: "guess-guess-guess" },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password: "x" },
    });
    expect(limited.json()).toMatchObject({ status: 429, title: "Too many sign-in attempts" });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // Another account from the same address is not locked out by it.
    expect((await login(TEST_ADMIN.email, TEST_ADMIN.password)).statusCode).toBe(200);
    await second.close();
  });

  it("refuses a disabled account and ends its sessions when it is disabled", async () => {
    const admin = await t.as("admin");
    await createUser(t.app, admin, {
      email: "leaver@test.certfleet.local",
      name: "Leaver",
      role: "operator",
      password: "leaver-password-1",
    });
    const leaver = await signIn(t.app, "leaver@test.certfleet.local", "leaver-password-1");
    const disabled = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${leaver.userId}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(disabled.json()).toMatchObject({ disabled: true });
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/hosts", headers: leaver.headers })).statusCode,
    ).toBe(401);
    expect((await login("leaver@test.certfleet.local", "leaver-password-1")).statusCode).toBe(401);
  });
});

describe("sessions", () => {
  it("needs a session for reads: 401 problem without one", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/hosts" });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ title: "Sign-in required" });
  });

  it("needs the CSRF token on state-changing calls, and changes nothing without it", async () => {
    const admin = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const before = await t.db.apiToken.count();
    const withoutToken = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie: admin.headers.cookie },
      payload: { name: "csrf probe" },
    });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json()).toMatchObject({ title: "Missing or invalid CSRF token" });
    const forged = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie: admin.headers.cookie, "x-csrf-token": "forged-token" },
      payload: { name: "csrf probe" },
    });
    expect(forged.statusCode).toBe(403);
    expect(await t.db.apiToken.count()).toBe(before);
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: admin.headers,
      payload: { name: "csrf probe" },
    });
    expect(ok.statusCode).toBe(201);
  });

  it("signs out this browser only, or everywhere", async () => {
    const first = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const second = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const third = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const reads = (headers: Record<string, string>) =>
      t.app.inject({ method: "GET", url: "/api/v1/summary", headers }).then((r) => r.statusCode);

    const out = await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: first.headers });
    expect(out.json()).toEqual({ sessionsEnded: 1 });
    expect(await reads(first.headers)).toBe(401);
    expect(await reads(second.headers)).toBe(200);

    const everywhere = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout-all",
      headers: second.headers,
    });
    expect(everywhere.json<{ sessionsEnded: number }>().sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(await reads(second.headers)).toBe(401);
    expect(await reads(third.headers)).toBe(401);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["auth.logout", "auth.logout_all", "auth.login"]),
    );
  });

  it("expires: a session past its expiry is refused", async () => {
    const viewer = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    await t.db.session.updateMany({
      where: { userId: viewer.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/summary", headers: viewer.headers })).statusCode,
    ).toBe(401);
  });
});

describe("housekeeping", () => {
  it("prunes expired sessions and spent rate-limit windows, and nothing live", async () => {
    const live = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const stale = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const staleToken = /certfleet_session=([^;]+)/.exec(stale.headers.cookie)?.[1] as string;
    const staleId = hashToken(staleToken);
    await t.db.session.update({ where: { id: staleId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await t.db.rateLimitBucket.create({
      data: { key: "login:old", count: 5, resetAt: new Date(Date.now() - 2 * 3_600_000) },
    });
    await t.db.rateLimitBucket.create({
      data: { key: "login:current", count: 2, resetAt: new Date(Date.now() + 600_000) },
    });
    expect(await pruneExpiredSessions(t.db)).toBeGreaterThanOrEqual(1);
    await pruneRateLimitBuckets(t.db);
    expect(await t.db.session.findUnique({ where: { id: staleId } })).toBeNull();
    expect((await t.db.rateLimitBucket.findMany()).map((bucket) => bucket.key)).toContain("login:current");
    expect(await t.db.rateLimitBucket.findUnique({ where: { key: "login:old" } })).toBeNull();
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/summary", headers: live.headers })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/summary", headers: stale.headers })).statusCode,
    ).toBe(401);
  });
});

describe("first admin", () => {
  it("is created once, on a database without users", async () => {
    expect(
      await bootstrapAdmin(t.db, {
        email: "second-admin@test.certfleet.local",
        password: "second-admin-pass",
      }),
    ).toBe("exists");
    expect(await t.db.user.findUnique({ where: { email: "second-admin@test.certfleet.local" } })).toBeNull();
  });
});
