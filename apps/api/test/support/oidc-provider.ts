import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Session } from "@certfleet/contracts";
import type { LightMyRequestResponse } from "fastify";
// @ts-expect-error oidc-provider ships no type declarations
import Provider from "oidc-provider";
import { expect } from "vitest";
import { cookieHeader, type TestApp } from "./app";

/**
 * Single sign-on against a real OpenID provider (oidc-provider) on 127.0.0.1: the browser part
 * (provider login form, redirects, provider cookies) is played by fetch with a tiny cookie jar.
 */

export const CLIENT = { id: "certfleet-test", secret: "certfleet-test-secret" };
export const REDIRECT_URI = "http://127.0.0.1:3000/api/v1/auth/oidc/callback";

export interface Account {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export const ACCOUNTS: Record<string, Account> = {
  alice: { email: "alice@sso.example", email_verified: true, name: "Alice SSO" },
  bob: { email: "bob@test.certfleet.local", email_verified: true, name: "Bob SSO" },
  carol: { email: "carol@sso.example", email_verified: true, name: "Carol SSO" },
  dave: { email: "dave@sso.example", email_verified: true, name: "Dave SSO" },
  noemail: { name: "No Mail" },
  // For the linking rules (oidc-linking.test.ts).
  plain: { email: "plain@sso.example", email_verified: true, name: "Plain SSO" },
  noclaim: { email: "noclaim@sso.example", name: "No Claim" },
  pwviewer: { email: "pwviewer@sso.example", email_verified: true, name: "Password Viewer" },
  boss: { email: "boss@sso.example", email_verified: true, name: "Boss" },
  erinidp: { email: "erin.home@sso.example", email_verified: false, name: "Erin at home" },
  unverified: { email: "unverified@test.certfleet.local", email_verified: false, name: "Unverified" },
};

export interface TestProvider {
  issuer: string;
  close: () => Promise<void>;
}

/** A real OpenID provider: one confidential client, PKCE required, consent granted automatically. */
export async function startProvider(options: { claimsInIdToken: boolean }): Promise<TestProvider> {
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

export function oidcEnv(issuer: string): Record<string, string> {
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
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URLSearchParams> {
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

export interface Started {
  start: LightMyRequestResponse;
  oidcCookie: string;
  query: URLSearchParams;
}

/** GET /start, then sign in at the provider: the callback parameters and the certfleet_oidc cookie. */
export async function startAndSignIn(t: TestApp, login: string, next?: string): Promise<Started> {
  const start = await t.app.inject({
    method: "GET",
    url: `/api/v1/auth/oidc/start${next === undefined ? "" : `?${new URLSearchParams({ next })}`}`,
  });
  expect(start.statusCode, start.body).toBe(302);
  const query = await signInAtProvider(String(start.headers.location), login);
  return { start, oidcCookie: cookieHeader(start), query };
}

export function callback(t: TestApp, query: URLSearchParams | string, cookie?: string) {
  return t.app.inject({
    method: "GET",
    url: `/api/v1/auth/oidc/callback?${query}`,
    headers: cookie ? { cookie } : {},
  });
}

export async function signInWithSso(t: TestApp, login: string, next?: string) {
  const { oidcCookie, query } = await startAndSignIn(t, login, next);
  return callback(t, query, oidcCookie);
}

export function loginError(response: LightMyRequestResponse): string | null {
  const location = new URL(String(response.headers.location), "http://web.invalid");
  return location.pathname === "/login" ? location.searchParams.get("error") : null;
}

export async function sessionOf(t: TestApp, response: LightMyRequestResponse): Promise<Session> {
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
