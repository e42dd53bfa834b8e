import type { AuthOptions } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeEndedSignInFailureWindows,
  SIGN_IN_FAILURE_WINDOW_MS,
} from "../src/services/auth/sign-in-failures";
import { cookieHeader, createTestApp, createUser, type TestApp } from "./support/app";
import {
  CLIENT,
  callback,
  loginError,
  oidcEnv,
  REDIRECT_URI,
  sessionOf,
  signInWithSso,
  startAndSignIn,
  startProvider,
  type TestProvider,
} from "./support/oidc-provider";

/**
 * Single sign-on against a real OpenID provider (oidc-provider) on 127.0.0.1: the browser part
 * (provider login form, redirects, provider cookies) is played by fetch with a tiny cookie jar.
 */

describe("OIDC sign-in against a real provider", () => {
  let provider: TestProvider;
  let t: TestApp;
  beforeAll(async () => {
    provider = await startProvider({ claimsInIdToken: true });
    t = await createTestApp(oidcEnv(provider.issuer));
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it("advertises single sign-on in the sign-in options", async () => {
    const options = (await t.app.inject({ method: "GET", url: "/api/v1/auth/options" })).json<AuthOptions>();
    expect(options.oidc).toEqual({ name: "Test SSO", startUrl: "/api/v1/auth/oidc/start" });
  });

  it("start redirects to the provider with PKCE (S256), state and nonce, keeping them in a short HttpOnly cookie", async () => {
    const start = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start?next=%2Ftasks" });
    expect(start.statusCode).toBe(302);
    const location = new URL(String(start.headers.location));
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: CLIENT.id,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      scope: "openid email profile",
      code_challenge_method: "S256",
    });
    for (const param of ["state", "nonce", "code_challenge"])
      expect(location.searchParams.get(param)?.length).toBeGreaterThan(20);
    const cookie = start.cookies.find((c) => c.name === "certfleet_oidc");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/api/v1/auth/oidc", maxAge: 600 });
    const pending = JSON.parse(Buffer.from(String(cookie?.value), "base64url").toString());
    expect(pending).toMatchObject({ state: location.searchParams.get("state"), next: "/tasks" });
    expect(pending.verifier).not.toBe(location.searchParams.get("code_challenge"));
  });

  it("a first sign-in creates an operator account and an OIDC session", async () => {
    const response = await signInWithSso(t, "alice");
    expect(response.statusCode, response.body).toBe(302);
    expect(response.headers.location).toBe("/");
    // The oidc cookie is spent.
    expect(response.cookies.find((c) => c.name === "certfleet_oidc")?.value).toBe("");
    const session = await sessionOf(t, response);
    expect(session.method).toBe("oidc");
    expect(session.user).toMatchObject({ email: "alice@sso.example", name: "Alice SSO", role: "operator" });
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "alice@sso.example" } });
    expect(row.passwordHash).toBeNull();
    expect(row.oidcSubject).toBe(`${provider.issuer} alice`);
    const created = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "user.create", entityId: String(row.id) },
    });
    expect(created.actorId).toBeNull();
    expect(created.after).toMatchObject({ via: "oidc", email: "alice@sso.example", role: "operator" });
  });

  it("a second sign-in of the same subject reuses the account", async () => {
    const response = await signInWithSso(t, "alice");
    expect((await sessionOf(t, response)).user.email).toBe("alice@sso.example");
    expect(await t.db.user.count({ where: { email: "alice@sso.example" } })).toBe(1);
    expect(await t.db.user.count({ where: { oidcSubject: `${provider.issuer} alice` } })).toBe(1);
  });

  it("does not link a lead with a password by e-mail, and says how to link it", async () => {
    const admin = await t.as("admin");
    await createUser(t.app, admin, {
      email: "bob@test.certfleet.local",
      name: "Bob Local",
      role: "lead",
      password: "bob-local-password",
    });
    const users = await t.db.user.count();
    const sessions = await t.db.session.count();
    const response = await signInWithSso(t, "bob");
    expect(loginError(response)).toMatch(/sign in with your password and link single sign-on/);
    expect(await t.db.user.count()).toBe(users);
    expect(await t.db.session.count()).toBe(sessions);
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "bob@test.certfleet.local" } });
    expect(row.oidcSubject).toBeNull();
  });

  it("does not link by an e-mail the provider marks unverified", async () => {
    const admin = await t.as("admin");
    await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: admin.headers,
      payload: {
        email: "unverified@test.certfleet.local",
        name: "Local",
        role: "admin",
        password: "local-password-1",
      },
    });
    const sessions = await t.db.session.count();
    const response = await signInWithSso(t, "unverified");
    expect(loginError(response)).toMatch(/verified e-mail/);
    expect(await t.db.session.count()).toBe(sessions);
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "unverified@test.certfleet.local" } });
    expect(row.oidcSubject).toBeNull();
  });

  it("refuses a subject without an e-mail and without a linked account, with a clear message", async () => {
    const users = await t.db.user.count();
    const response = await signInWithSso(t, "noemail");
    expect(response.statusCode).toBe(302);
    expect(loginError(response)).toBe(
      "Single sign-on failed: the identity provider did not share a verified e-mail address",
    );
    expect(await t.db.user.count()).toBe(users);
  });

  it("redirects to /login?error=… and starts no session for a tampered state or a missing cookie", async () => {
    const { oidcCookie, query } = await startAndSignIn(t, "dave");
    const sessions = await t.db.session.count();
    const tampered = new URLSearchParams(query);
    tampered.set("state", `${query.get("state")}x`);
    const expired = "Single sign-on failed: the sign-in took too long or was started in another browser";
    for (const response of [
      await callback(t, tampered, oidcCookie),
      await callback(t, query),
      await callback(t, query, "certfleet_oidc=not-base64-json"),
    ]) {
      expect(response.statusCode).toBe(302);
      expect(loginError(response)).toBe(expired);
      expect(response.cookies.find((c) => c.name === "certfleet_session")).toBeUndefined();
    }
    expect(await t.db.session.count()).toBe(sessions);
    expect(await t.db.user.count({ where: { email: "dave@sso.example" } })).toBe(0);
  });

  it("an error answer from the provider goes back to the sign-in page", async () => {
    const start = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start" });
    const state = new URL(String(start.headers.location)).searchParams.get("state") ?? "";
    const response = await callback(
      t,
      new URLSearchParams({ error: "access_denied", state, iss: provider.issuer }),
      cookieHeader(start),
    );
    expect(loginError(response)).toBe("Single sign-on was cancelled or refused by the identity provider");
  });

  it("refuses a disabled account", async () => {
    await signInWithSso(t, "carol");
    await t.db.user.update({ where: { email: "carol@sso.example" }, data: { disabledAt: new Date() } });
    const sessions = await t.db.session.count();
    const response = await signInWithSso(t, "carol");
    expect(loginError(response)).toBe("This account is disabled");
    expect(await t.db.session.count()).toBe(sessions);
  });

  it("audits successful and failed sign-ins with the method and the reason", async () => {
    // Failures are counted per account or address and written when their window closes.
    await closeEndedSignInFailureWindows(t.db, new Date(Date.now() + SIGN_IN_FAILURE_WINDOW_MS));
    const entries = await t.db.auditEvent.findMany({
      where: { action: { in: ["auth.login", "auth.login_failed"] } },
      orderBy: { id: "asc" },
    });
    const logins = entries.filter((e) => e.action === "auth.login" && e.actorEmail === "alice@sso.example");
    expect(logins).toHaveLength(2);
    expect(logins[0]?.after).toEqual({ method: "oidc" });
    const failures = entries.filter((e) => e.action === "auth.login_failed");
    type Summary = { count: number; per: string; reasons: Record<string, number> };
    const reasons = failures.flatMap((e) => Object.keys((e.after as Summary).reasons));
    expect(reasons).toEqual(
      expect.arrayContaining([
        "oidc: account disabled",
        "oidc: missing or invalid oidc cookie",
        "oidc: no e-mail claim and no linked account",
        "oidc: provider answered access_denied",
      ]),
    );
    expect(reasons.some((reason) => reason.startsWith("oidc: state mismatch"))).toBe(true);
    // A known account's failures are its own entry, naming it.
    const disabled = failures.find((e) => (e.after as Summary).reasons["oidc: account disabled"]);
    expect(disabled).toMatchObject({ actorEmail: "carol@sso.example", after: { per: "account", count: 1 } });
    expect(disabled?.actorId).not.toBeNull();
    // The rest came from one address (this test's): one entry with their count, not one row each.
    const fromAddress = failures.filter((e) => (e.after as Summary).per === "address");
    expect(fromAddress).toHaveLength(1);
    expect((fromAddress[0]?.after as Summary | undefined)?.count).toBeGreaterThanOrEqual(5);
    // Nothing token-like anywhere in the log.
    const everything = await t.db.auditEvent.findMany({ select: { before: true, after: true } });
    expect(JSON.stringify(everything)).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it("returns to a same-site `next` path and ignores anything else", async () => {
    expect((await signInWithSso(t, "dave", "/tasks")).headers.location).toBe("/tasks");
    expect((await signInWithSso(t, "dave", "//evil.example")).headers.location).toBe("/");
    expect((await signInWithSso(t, "dave", "https://evil.example/")).headers.location).toBe("/");
    expect((await signInWithSso(t, "dave", "/\\evil.example")).headers.location).toBe("/");
  });

  it("answers a malformed start query with problem+json", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start?unknown=1" });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });

  it("documents both routes as redirects", async () => {
    const document = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json();
    for (const path of ["/api/v1/auth/oidc/start", "/api/v1/auth/oidc/callback"]) {
      const responses = document.paths[path].get.responses;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(["302", "400", "500"]));
      expect(responses["302"].content).toBeUndefined();
    }
  });
});

describe("OIDC with a provider that serves e-mail from userinfo only", () => {
  let provider: TestProvider;
  let t: TestApp;
  beforeAll(async () => {
    provider = await startProvider({ claimsInIdToken: false });
    t = await createTestApp(oidcEnv(provider.issuer));
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it("reads the e-mail and name from userinfo", async () => {
    const session = await sessionOf(t, await signInWithSso(t, "alice"));
    expect(session.user).toMatchObject({ email: "alice@sso.example", name: "Alice SSO", role: "operator" });
  });
});

describe("without OIDC settings", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it("has no single sign-on routes and advertises none", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start" })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/callback?code=x" })).statusCode).toBe(
      404,
    );
    const options = (await t.app.inject({ method: "GET", url: "/api/v1/auth/options" })).json<AuthOptions>();
    expect(options.oidc).toBeNull();
  });
});
