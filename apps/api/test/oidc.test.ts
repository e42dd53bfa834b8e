import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthOptions, Session } from "@certfleet/contracts";
import type { LightMyRequestResponse } from "fastify";
// @ts-expect-error oidc-provider ships no type declarations
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieHeader, createTestApp, createUser, type TestApp } from "./support/app";

/**
 * Single sign-on against a real OpenID provider (oidc-provider) on 127.0.0.1: the browser part
 * (provider login form, redirects, provider cookies) is played by fetch with a tiny cookie jar.
 */

const CLIENT = { id: "certfleet-test", secret: "certfleet-test-secret" };
const REDIRECT_URI = "http://127.0.0.1:3000/api/v1/auth/oidc/callback";

interface Account {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

const ACCOUNTS: Record<string, Account> = {
  alice: { email: "alice@sso.example", email_verified: true, name: "Alice SSO" },
  bob: { email: "bob@test.certfleet.local", email_verified: true, name: "Bob SSO" },
  carol: { email: "carol@sso.example", email_verified: true, name: "Carol SSO" },
  dave: { email: "dave@sso.example", email_verified: true, name: "Dave SSO" },
  noemail: { name: "No Mail" },
  unverified: { email: "unverified@test.certfleet.local", email_verified: false, name: "Unverified" },
};

interface TestProvider {
  issuer: string;
  close: () => Promise<void>;
}

/** A real OpenID provider: one confidential client, PKCE required, consent granted automatically. */
async function startProvider(options: { claimsInIdToken: boolean }): Promise<TestProvider> {
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) =>
    response.end();
  const server: Server = createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        // openid-client v6 sends a plain client secret in the body unless told otherwise.
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: "test", use: "sig", alg: "RS256" }] },
    cookies: { keys: ["certfleet-test-cookie-key"] },
    pkce: { required: () => true },
    // Explicit lifetimes (seconds): the defaults print a notice each time they are used.
    ttl: {
      AccessToken: 600,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      AuthorizationCode: 60,
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Default (conformant): with an access token, scope claims come from userinfo, not the ID token.
    conformIdTokenClaims: !options.claimsInIdToken,
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = ACCOUNTS[sub];
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
    },
    // Skip the consent screen: every sign-in is granted "openid email profile".
    loadExistingGrant: async (ctx: {
      oidc: {
        provider: { Grant: GrantClass };
        client: { clientId: string };
        session: { accountId: string; grantIdFor: (clientId: string) => string | undefined };
        result?: { consent?: { grantId?: string } };
      };
    }) => {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({
        clientId: oidc.client.clientId,
        accountId: oidc.session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  handle = provider.callback();
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface GrantInstance {
  addOIDCScope: (scope: string) => void;
  save: () => Promise<string>;
}
type GrantClass = {
  new (init: { clientId: string; accountId: string }): GrantInstance;
  find: (id: string) => Promise<GrantInstance | undefined>;
};

function oidcEnv(issuer: string): Record<string, string> {
  return {
    CERTFLEET_OIDC_ISSUER: issuer,
    CERTFLEET_OIDC_CLIENT_ID: CLIENT.id,
    CERTFLEET_OIDC_CLIENT_SECRET: CLIENT.secret,
    CERTFLEET_OIDC_REDIRECT_URI: REDIRECT_URI,
    CERTFLEET_OIDC_DEFAULT_ROLE: "operator",
    CERTFLEET_OIDC_NAME: "Test SSO",
  };
}

/** A browser at the provider: follows redirects, keeps its cookies, fills in the dev login form. */
async function signInAtProvider(authorizationUrl: string, login: string): Promise<URLSearchParams> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === "";
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  let url = authorizationUrl;
  let loggedIn = false;
  for (let hop = 0; hop < 15; hop++) {
    if (url.startsWith(REDIRECT_URI)) return new URL(url).searchParams;
    const response = await send(url);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    const page = await response.text();
    const interaction = /^\/interaction\/([^/?]+)$/.exec(new URL(url).pathname);
    if (response.status !== 200 || !interaction || loggedIn)
      throw new Error(`provider answered ${response.status} at ${url}: ${page.slice(0, 500)}`);
    // The dev login form posts to its own URL (oidc-provider 9: POST /interaction/:uid, prompt=login).
    expect(page).toContain('name="login"');
    const submitted = await send(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login, password: "x" }).toString(),
    });
    loggedIn = true;
    const next = submitted.headers.get("location");
    if (!next) throw new Error(`login form answered ${submitted.status}: ${await submitted.text()}`);
    url = new URL(next, url).href;
  }
  throw new Error("too many redirects at the provider");
}

interface Started {
  start: LightMyRequestResponse;
  oidcCookie: string;
  query: URLSearchParams;
}

/** GET /start, then sign in at the provider: the callback parameters and the certfleet_oidc cookie. */
async function startAndSignIn(t: TestApp, login: string, next?: string): Promise<Started> {
  const start = await t.app.inject({
    method: "GET",
    url: `/api/v1/auth/oidc/start${next === undefined ? "" : `?${new URLSearchParams({ next })}`}`,
  });
  expect(start.statusCode, start.body).toBe(302);
  const query = await signInAtProvider(String(start.headers.location), login);
  return { start, oidcCookie: cookieHeader(start), query };
}

function callback(t: TestApp, query: URLSearchParams | string, cookie?: string) {
  return t.app.inject({
    method: "GET",
    url: `/api/v1/auth/oidc/callback?${query}`,
    headers: cookie ? { cookie } : {},
  });
}

async function signInWithSso(t: TestApp, login: string, next?: string) {
  const { oidcCookie, query } = await startAndSignIn(t, login, next);
  return callback(t, query, oidcCookie);
}

function loginError(response: LightMyRequestResponse): string | null {
  const location = new URL(String(response.headers.location), "http://web.invalid");
  return location.pathname === "/login" ? location.searchParams.get("error") : null;
}

async function sessionOf(t: TestApp, response: LightMyRequestResponse): Promise<Session> {
  const session = response.cookies.find((c) => c.name === "certfleet_session");
  expect(session, "a session cookie").toBeDefined();
  const me = await t.app.inject({
    method: "GET",
    url: "/api/v1/auth/session",
    headers: { cookie: `certfleet_session=${session?.value}` },
  });
  expect(me.statusCode).toBe(200);
  return me.json<Session>();
}

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

  it("links a local account with the same verified e-mail instead of creating another", async () => {
    const admin = await t.as("admin");
    const bobId = await createUser(t.app, admin, {
      email: "bob@test.certfleet.local",
      name: "Bob Local",
      role: "lead",
      password: "bob-local-password",
    });
    const users = await t.db.user.count();
    const session = await sessionOf(t, await signInWithSso(t, "bob"));
    expect(session.user).toMatchObject({ id: bobId, name: "Bob Local", role: "lead" });
    expect(await t.db.user.count()).toBe(users);
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "bob@test.certfleet.local" } });
    expect(row.oidcSubject).toBe(`${provider.issuer} bob`);
    expect(row.passwordHash).not.toBeNull();
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
    const entries = await t.db.auditEvent.findMany({
      where: { action: { in: ["auth.login", "auth.login_failed"] } },
      orderBy: { id: "asc" },
    });
    const logins = entries.filter((e) => e.action === "auth.login" && e.actorEmail === "alice@sso.example");
    expect(logins).toHaveLength(2);
    expect(logins[0]?.after).toEqual({ method: "oidc" });
    const failures = entries.filter((e) => e.action === "auth.login_failed");
    const reasons = failures.map((e) => (e.after as { reason: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "account disabled",
        "missing or invalid oidc cookie",
        "no e-mail claim and no linked account",
        "provider answered access_denied",
      ]),
    );
    expect(reasons.some((reason) => reason.startsWith("state mismatch"))).toBe(true);
    const disabled = failures.find((e) => (e.after as { reason: string }).reason === "account disabled");
    expect(disabled).toMatchObject({ actorEmail: "carol@sso.example", after: { method: "oidc" } });
    expect(disabled?.actorId).not.toBeNull();
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
