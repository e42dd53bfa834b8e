import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { loggedUrl } from "../src/logging";
import { createTestApp, signIn, TEST_ADMIN, type TestApp } from "./support/app";

/** Every line the API logs, as written (JSON text), so the assertions see what an operator would. */
const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    done();
  },
});

let t: TestApp;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestApp();
  // The same app the server builds, logging at trace (the most it ever writes) into `capture`.
  const config = loadConfig({ DATABASE_URL: t.databaseUrl, CERTFLEET_JOBS: "false", LOG_LEVEL: "trace" });
  app = await buildApp(
    { config, db: t.db, databaseUrl: t.databaseUrl },
    { logger: { level: "trace", stream: capture } },
  );
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const SECRETS = {
  bearer: "cf-bearer-secret-4f1c9a7e2b",
  cookie: "cf-cookie-secret-93be01d7aa",
  password: "cf-password-secret-77d2e0",
  code: "cf-oidc-code-secret-5a9e31",
  state: "cf-oidc-state-secret-c04b88",
  csrf: "cf-csrf-secret-1e6f20",
};

describe("logs", () => {
  it("hold no authorization header, cookie, password, OIDC code or state from real requests", async () => {
    lines.length = 0;
    await app.inject({
      method: "GET",
      url: "/api/v1/summary",
      headers: {
        authorization: `Bearer ${SECRETS.bearer}`,
        cookie: `certfleet_session=${SECRETS.cookie}`,
        "x-csrf-token": SECRETS.csrf,
      },
    });
    await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: TEST_ADMIN.email, password: SECRETS.password },
    });
    // A successful sign-in answers with Set-Cookie: a session that must not reach the log either.
    const session = await signIn(app, TEST_ADMIN.email, TEST_ADMIN.password);
    await app.inject({
      method: "GET",
      url: `/api/v1/auth/oidc/callback?code=${SECRETS.code}&state=${SECRETS.state}`,
      headers: session.headers,
    });
    await app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: session.headers });

    const text = lines.join("\n");
    // The requests were logged (so the test reads real request lines) ...
    expect(text).toContain('"url":"/api/v1/summary"');
    expect(text).toContain('"url":"/api/v1/auth/oidc/callback"');
    expect(text).toContain('"url":"/api/v1/auth/login"');
    // ... and none of their secrets, nor the session the sign-in created.
    for (const secret of [...Object.values(SECRETS), TEST_ADMIN.password]) expect(text).not.toContain(secret);
    const sessionToken = session.headers.cookie.split("=")[1] ?? "";
    expect(sessionToken.length).toBeGreaterThan(20);
    expect(text).not.toContain(sessionToken);
    expect(text).not.toContain(session.headers["x-csrf-token"]);
  });

  it("redact secrets from objects code logs, headers and bodies included", () => {
    lines.length = 0;
    app.log.info(
      {
        req: { headers: { authorization: `Bearer ${SECRETS.bearer}`, cookie: SECRETS.cookie } },
        res: { headers: { "set-cookie": `certfleet_session=${SECRETS.cookie}` } },
        body: { email: "someone@example.com", password: SECRETS.password },
        channel: { config: { secret: SECRETS.csrf } },
        token: SECRETS.bearer,
      },
      "an object a route might log",
    );
    const text = lines.join("\n");
    expect(text).toContain("someone@example.com");
    expect(text).toContain("[redacted]");
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  });

  it("keep the query of every route but the sign-in ones", () => {
    expect(loggedUrl("/api/v1/hosts?role=Gateway&q=ms01")).toBe("/api/v1/hosts?role=Gateway&q=ms01");
    expect(loggedUrl("/api/v1/auth/oidc/callback?code=x&state=y")).toBe("/api/v1/auth/oidc/callback");
    expect(loggedUrl("/api/v1/auth?x=1")).toBe("/api/v1/auth");
    expect(loggedUrl("/api/v1/authors?x=1")).toBe("/api/v1/authors?x=1");
  });
});
