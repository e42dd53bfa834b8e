import type { OidcLinkStart, User } from "@certfleet/contracts";
import { createDatabaseClient } from "@certfleet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { cookieHeader, createTestApp, createUser, type SignedIn, signIn, type TestApp } from "./support/app";
import {
  callback,
  loginError,
  oidcEnv,
  sessionOf,
  signInAtProvider,
  signInWithSso,
  startProvider,
  type TestProvider,
} from "./support/oidc-provider";

/**
 * Which accounts a single sign-on identity may be linked to (against a real OpenID provider):
 * automatically only by a verified e-mail to a password-less viewer or operator; explicitly by an
 * admin or by the signed-in user for everyone else.
 */

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

/** An account as single sign-on left it (or an admin unlinked it): no password. */
async function passwordlessAccount(email: string, role: "viewer" | "operator" | "lead" | "admin") {
  return t.db.user.create({ data: { email, name: email, role, passwordHash: null } });
}

async function refusedLinks(email: string) {
  return t.db.auditEvent.findMany({ where: { action: "auth.oidc_link_refused", actorEmail: email } });
}

const subjectOf = (login: string) => `${provider.issuer} ${login}`;

describe("automatic linking by e-mail", () => {
  it("links a verified identity to a password-less viewer with that e-mail", async () => {
    const account = await passwordlessAccount("plain@sso.example", "viewer");
    const users = await t.db.user.count();
    const session = await sessionOf(t, await signInWithSso(t, "plain"));
    expect(session.user).toMatchObject({ id: account.id, role: "viewer" });
    expect(await t.db.user.count()).toBe(users);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: account.id } })).oidcSubject).toBe(
      subjectOf("plain"),
    );
    const linked = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "user.oidc_link", entityId: String(account.id) },
    });
    expect(linked.after).toMatchObject({ via: "verified e-mail", subject: subjectOf("plain") });
  });

  it("treats a missing email_verified claim as not verified: no link, no new account", async () => {
    const account = await passwordlessAccount("noclaim@sso.example", "viewer");
    const users = await t.db.user.count();
    const response = await signInWithSso(t, "noclaim");
    expect(loginError(response)).toBe(
      "Single sign-on failed: the identity provider did not share a verified e-mail address",
    );
    expect(response.cookies.find((c) => c.name === "certfleet_session")).toBeUndefined();
    expect((await t.db.user.findUniqueOrThrow({ where: { id: account.id } })).oidcSubject).toBeNull();
    expect(await t.db.user.count()).toBe(users);
  });

  it("never links an account that has a password, and audits the refusal with the subject", async () => {
    const admin = await t.as("admin");
    const id = await createUser(t.app, admin, {
      email: "pwviewer@sso.example",
      name: "Password Viewer",
      role: "viewer",
      password: "pw-viewer-password",
    });
    const sessions = await t.db.session.count();
    const response = await signInWithSso(t, "pwviewer");
    expect(response.statusCode).toBe(302);
    expect(loginError(response)).toMatch(
      /already exists and is not linked.*link single sign-on from your account/,
    );
    expect(await t.db.session.count()).toBe(sessions);
    expect((await t.db.user.findUniqueOrThrow({ where: { id } })).oidcSubject).toBeNull();
    const [refusal] = await refusedLinks("pwviewer@sso.example");
    expect(refusal).toMatchObject({ actorId: id, entityId: String(id), ip: "127.0.0.1" });
    expect(refusal?.after).toMatchObject({
      reason: "not linked automatically: the account has a password",
      subject: subjectOf("pwviewer"),
    });
  });

  it("never links an admin or a lead, even without a password", async () => {
    const boss = await passwordlessAccount("boss@sso.example", "admin");
    expect(loginError(await signInWithSso(t, "boss"))).toMatch(/ask an admin to link it/);
    await t.db.user.update({ where: { id: boss.id }, data: { role: "lead" } });
    expect(loginError(await signInWithSso(t, "boss"))).toMatch(/ask an admin to link it/);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: boss.id } })).oidcSubject).toBeNull();
    const reasons = (await refusedLinks("boss@sso.example")).map(
      (e) => (e.after as { reason: string }).reason,
    );
    expect(reasons).toEqual([
      "not linked automatically: the account is an admin",
      "not linked automatically: the account is a lead",
    ]);
  });
});

describe("an admin links and unlinks", () => {
  const link = async (as: SignedIn, userId: number, payload: Record<string, unknown>) =>
    t.app.inject({ method: "PUT", url: `/api/v1/users/${userId}/oidc`, headers: as.headers, payload });

  it("links the identity named in the refusal; the user then signs in with it", async () => {
    const admin = await t.as("admin");
    const account = await t.db.user.findUniqueOrThrow({ where: { email: "pwviewer@sso.example" } });
    const response = await link(admin, account.id, { subject: "pwviewer" });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<User>()).toMatchObject({ id: account.id, oidc: true, hasPassword: true });
    const session = await sessionOf(t, await signInWithSso(t, "pwviewer"));
    expect(session.user.id).toBe(account.id);
    const entry = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "user.oidc_link", entityId: String(account.id) },
    });
    expect(entry).toMatchObject({
      actorEmail: admin.email,
      after: { via: "admin", subject: subjectOf("pwviewer") },
    });
  });

  it("links a lead or an admin the same way", async () => {
    const admin = await t.as("admin");
    const boss = await t.db.user.findUniqueOrThrow({ where: { email: "boss@sso.example" } });
    expect((await link(admin, boss.id, { subject: "boss" })).statusCode).toBe(200);
    expect((await sessionOf(t, await signInWithSso(t, "boss"))).user).toMatchObject({
      id: boss.id,
      role: "lead",
    });
  });

  it("refuses an identity linked to another account (409 naming the field), bad input, and non-admins", async () => {
    const admin = await t.as("admin");
    const other = await passwordlessAccount("other@sso.example", "viewer");
    const taken = await link(admin, other.id, { subject: "pwviewer" });
    expect(taken.statusCode).toBe(409);
    expect(taken.headers["content-type"]).toContain("application/problem+json");
    expect(taken.json()).toMatchObject({ errors: [{ field: "subject" }] });
    const blank = await link(admin, other.id, { subject: "" });
    expect(blank.statusCode).toBeGreaterThanOrEqual(400);
    expect(blank.statusCode).toBeLessThan(500);
    expect(blank.body).toContain("subject");
    expect((await link(admin, 999_999, { subject: "nobody" })).statusCode).toBe(404);
    const lead = await t.as("lead");
    expect((await link(lead, other.id, { subject: "x" })).statusCode).toBe(403);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: other.id } })).oidcSubject).toBeNull();
  });

  it("unlinks: the identity's sessions end and it no longer signs in to the account", async () => {
    const admin = await t.as("admin");
    const account = await t.db.user.findUniqueOrThrow({ where: { email: "pwviewer@sso.example" } });
    await signInWithSso(t, "pwviewer");
    expect(await t.db.session.count({ where: { userId: account.id, method: "oidc" } })).toBeGreaterThan(0);
    const response = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/users/${account.id}/oidc`,
      headers: admin.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<User>().oidc).toBe(false);
    expect(await t.db.session.count({ where: { userId: account.id, method: "oidc" } })).toBe(0);
    expect(loginError(await signInWithSso(t, "pwviewer"))).toMatch(/already exists and is not linked/);
    expect(await t.db.auditEvent.count({ where: { action: "user.oidc_unlink" } })).toBe(1);
  });
});

describe("the signed-in user links their own identity", () => {
  let erin: SignedIn;
  beforeAll(async () => {
    const admin = await t.as("admin");
    await createUser(t.app, admin, {
      email: "erin@test.certfleet.local",
      name: "Erin",
      role: "lead",
      password: "erin-password-1",
    });
    erin = await signIn(t.app, "erin@test.certfleet.local", "erin-password-1");
  });

  /** POST /link as `who`, then the provider sign-in: the callback query and the certfleet_oidc cookie. */
  async function startLink(who: SignedIn, login: string) {
    const start = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/oidc/link",
      headers: who.headers,
      payload: { next: "/account" },
    });
    expect(start.statusCode, start.body).toBe(200);
    const { authorizationUrl } = start.json<OidcLinkStart>();
    expect(new URL(authorizationUrl).origin).toBe(provider.issuer);
    return { query: await signInAtProvider(authorizationUrl, login), oidcCookie: cookieHeader(start) };
  }

  const linkOutcome = (location: unknown) => new URL(String(location), "http://web.invalid");

  it("needs a session and the CSRF token to start", async () => {
    const anonymous = await t.app.inject({ method: "POST", url: "/api/v1/auth/oidc/link", payload: {} });
    expect(anonymous.statusCode).toBe(401);
    const noCsrf = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/oidc/link",
      headers: { cookie: erin.headers.cookie },
      payload: {},
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it("is refused when the callback does not come with the session of the user who started it", async () => {
    const viewer = await t.as("viewer");
    for (const session of ["", viewer.headers.cookie]) {
      const { query, oidcCookie } = await startLink(erin, "erinidp");
      const response = await callback(t, query, [oidcCookie, session].filter(Boolean).join("; "));
      expect(response.statusCode).toBe(302);
      const outcome = linkOutcome(response.headers.location);
      expect(outcome.pathname).toBe("/account");
      expect(outcome.searchParams.get("ssoLinkError")).toMatch(/your session ended/);
    }
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "erin@test.certfleet.local" } });
    expect(row.oidcSubject).toBeNull();
    expect(
      await t.db.auditEvent.count({ where: { action: "user.oidc_link_failed", entityId: String(row.id) } }),
    ).toBe(2);
  });

  it("links the identity (whatever its e-mail) and keeps the session; it then signs in to the account", async () => {
    const { query, oidcCookie } = await startLink(erin, "erinidp");
    const sessions = await t.db.session.count();
    const response = await callback(t, query, `${oidcCookie}; ${erin.headers.cookie}`);
    expect(response.statusCode).toBe(302);
    expect(String(response.headers.location)).toBe("/account?ssoLinked=1");
    expect(response.cookies.find((c) => c.name === "certfleet_session")).toBeUndefined();
    expect(await t.db.session.count()).toBe(sessions);
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "erin@test.certfleet.local" } });
    expect(row.oidcSubject).toBe(subjectOf("erinidp"));
    const entry = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "user.oidc_link", entityId: String(row.id) },
    });
    expect(entry.after).toMatchObject({ via: "self", providerEmail: "erin.home@sso.example" });
    expect((await sessionOf(t, await signInWithSso(t, "erinidp"))).user).toMatchObject({
      id: row.id,
      role: "lead",
    });
  });

  it("does not take an identity already linked to someone else", async () => {
    const viewer = await t.as("viewer");
    const { query, oidcCookie } = await startLink(viewer, "erinidp");
    const response = await callback(t, query, `${oidcCookie}; ${viewer.headers.cookie}`);
    expect(linkOutcome(response.headers.location).searchParams.get("ssoLinkError")).toBe(
      "This single sign-on identity is already linked to another account",
    );
    expect((await t.db.user.findUniqueOrThrow({ where: { id: viewer.userId } })).oidcSubject).toBeNull();
  });
});

describe("rate limits on single sign-on", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ ...oidcEnv(provider.issuer), CERTFLEET_OIDC_ATTEMPTS: "3" });
  });
  afterAll(async () => limited?.close());

  it("answers 429 with Retry-After past the limit per address, across API instances", async () => {
    const second = await buildApp({
      config: limited.app.config,
      db: createDatabaseClient(limited.databaseUrl, 2),
      databaseUrl: limited.databaseUrl,
    });
    try {
      for (const url of ["/api/v1/auth/oidc/start", "/api/v1/auth/oidc/callback?code=x&state=y"]) {
        const statuses: number[] = [];
        for (const app of [limited.app, second, limited.app, second])
          statuses.push((await app.inject({ method: "GET", url })).statusCode);
        expect(statuses, url).toEqual([302, 302, 302, 429]);
        const refused = await limited.app.inject({ method: "GET", url });
        expect(refused.statusCode).toBe(429);
        expect(refused.headers["content-type"]).toContain("application/problem+json");
        expect(refused.json()).toMatchObject({ status: 429, title: "Too many single sign-on attempts" });
        expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      }
      // Another address is not affected.
      const elsewhere = await limited.app.inject({
        method: "GET",
        url: "/api/v1/auth/oidc/start",
        remoteAddress: "192.0.2.44",
      });
      expect(elsewhere.statusCode).toBe(302);
    } finally {
      await second.close();
    }
  });
});
