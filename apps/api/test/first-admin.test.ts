import { randomBytes } from "node:crypto";
import type { Problem, Session } from "@certfleet/contracts";
import { createDatabaseClient, type Database, quoteIdentifier } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { PASSWORD_CHANGE_REQUIRED } from "../src/plugins/auth";
import { demoAccounts, ensureDemoAccounts } from "../src/services/demo-accounts";
import { bootstrapAdmin } from "../src/services/users";
import { type SignedIn, signIn } from "./support/app";
import { withAdmin, withDatabase } from "./support/global-setup";

/**
 * The first admin comes from CERTFLEET_ADMIN_PASSWORD, a password that sat in an environment file:
 * it must be replaced at first sign-in. Until then the session reaches who-am-I, sign-out and the
 * change itself; everything else is a 403 that says why. Built on a database without users, as
 * server.ts finds it on a first start.
 */
const FIRST_ADMIN = { email: "first-admin@test.certfleet.local", password: "from-the-env-file" };

let app: FastifyInstance;
let db: Database;
let database: string;
const adminUrl = () => inject("adminDatabaseUrl");

beforeAll(async () => {
  database = `certfleet_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl(), (client) =>
    client.query(
      `CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE ${quoteIdentifier(inject("templateDatabase"))}`,
    ),
  );
  const databaseUrl = withDatabase(adminUrl(), database);
  db = createDatabaseClient(databaseUrl, 4);
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: "silent", CERTFLEET_JOBS: "false" });
  app = await buildApp({ config, db, databaseUrl });
  expect(await db.user.count()).toBe(0);
  // What server.ts does with CERTFLEET_ADMIN_EMAIL / CERTFLEET_ADMIN_PASSWORD.
  expect(await bootstrapAdmin(db, FIRST_ADMIN)).toBe("created");
});
afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await withAdmin(adminUrl(), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
  );
});

function concrete(url: string): string {
  return url
    .replace(":fqdn", "nobody.contoso.com")
    .replace(":sha256", "0".repeat(64))
    .replace(":id", "999999");
}

describe("the first admin", () => {
  let admin: SignedIn;

  it("signs in, and is told a new password is needed", async () => {
    const response = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: FIRST_ADMIN });
    expect(response.statusCode).toBe(200);
    expect(response.json<Session>()).toMatchObject({ passwordChangeRequired: true, user: { role: "admin" } });
    admin = await signIn(app, FIRST_ADMIN.email, FIRST_ADMIN.password);
    const me = await app.inject({ method: "GET", url: "/api/v1/auth/session", headers: admin.headers });
    expect(me.json<Session>().passwordChangeRequired).toBe(true);
  });

  it("reaches no other route until then: each answers 403 password-change-required", async () => {
    const exempt = new Set([
      "GET /api/v1/auth/session",
      "POST /api/v1/auth/logout",
      "POST /api/v1/auth/logout-all",
      "POST /api/v1/auth/password",
    ]);
    const routes = app.routePolicies.filter(
      (route) => route.method !== "HEAD" && route.access !== "public" && route.access !== "collector",
    );
    expect(
      new Set(routes.filter((route) => route.beforePasswordChange).map((r) => `${r.method} ${r.url}`)),
    ).toEqual(exempt);
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.beforePasswordChange)) {
      const response = await app.inject({
        method: route.method as "GET",
        url: concrete(route.url),
        headers: admin.headers,
        ...(route.method === "GET" ? {} : { payload: {} }),
      });
      const problem = response.json<Problem>();
      if (response.statusCode !== 403 || problem.type !== PASSWORD_CHANGE_REQUIRED)
        wrong.push(`${route.method} ${route.url}: ${response.statusCode} ${problem.type}`);
    }
    expect(wrong).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });

  it("cannot open the live stream either", async () => {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (!address || typeof address === "string") throw new Error("not listening");
    const socket = new WebSocket(`ws://127.0.0.1:${address.port}/api/v1/stream`, {
      headers: { cookie: admin.headers.cookie },
    });
    const status = await new Promise<number>((resolve, reject) => {
      socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.once("open", () => reject(new Error("the stream opened")));
      socket.once("error", () => {});
    });
    socket.terminate();
    expect(status).toBe(403);
  });

  it("keeps the old password until a new one is set, then reaches everything with the same session", async () => {
    const same = await app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: admin.headers,
      payload: { currentPassword: FIRST_ADMIN.password, newPassword: FIRST_ADMIN.password },
    });
    expect(same.statusCode).toBe(422);
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: admin.headers,
      payload: { currentPassword: FIRST_ADMIN.password, newPassword: "the-admins-own-choice" },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Session>().passwordChangeRequired).toBe(false);
    const users = await app.inject({ method: "GET", url: "/api/v1/users", headers: admin.headers });
    expect(users.statusCode).toBe(200);
    const row = await db.user.findUniqueOrThrow({ where: { email: FIRST_ADMIN.email } });
    expect(row.mustChangePassword).toBe(false);
    const audit = await app.inject({
      method: "GET",
      url: "/api/v1/audit?action=auth.password_change",
      headers: admin.headers,
    });
    expect(audit.json<{ items: { after: unknown }[] }>().items[0]?.after).toEqual({
      otherSessionsEnded: 1, // the first sign-in of this file
      requiredAtFirstSignIn: true,
    });
  });

  it("is created only on an empty database, so a restart never flags it again", async () => {
    expect(await bootstrapAdmin(db, FIRST_ADMIN)).toBe("exists");
    expect(
      (await db.user.findUniqueOrThrow({ where: { email: FIRST_ADMIN.email } })).mustChangePassword,
    ).toBe(false);
  });

  it("leaves the demo accounts as they are: published passwords, no forced change", async () => {
    await ensureDemoAccounts(db);
    for (const account of demoAccounts()) {
      const signedIn = await signIn(app, account.email, account.password);
      const hosts = await app.inject({ method: "GET", url: "/api/v1/hosts", headers: signedIn.headers });
      expect(hosts.statusCode, account.email).toBe(200);
    }
  });
});
