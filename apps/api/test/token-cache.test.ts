import type { CollectorTokenCreated } from "@certfleet/contracts";
import { createDatabaseClient, type Database } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createTestApp, type TestApp } from "./support/app";
import { buildReport, createPki, issueCertificate, type Pki } from "./support/reports";

/**
 * Verified collector tokens are cached per instance (CollectorTokenCache). A revoked or re-scoped token
 * must stop working at once on the instance that changed it, on another instance as soon as the change
 * notification arrives, and within CERTFLEET_COLLECTOR_TOKEN_CACHE_SECONDS when no notification comes.
 */
let t: TestApp;
let pki: Pki;
/** Two more instances on the same database: one with a long cache (so only the NOTIFY can explain a
 * prompt refusal), one with a 1 s cache (the bound when a change bypasses the API). */
let notified: { app: FastifyInstance; db: Database };
let shortCache: { app: FastifyInstance; db: Database };

async function instance(cacheSeconds: string) {
  const db = createDatabaseClient(t.databaseUrl, 2);
  const config = loadConfig({
    DATABASE_URL: t.databaseUrl,
    LOG_LEVEL: "silent",
    CERTFLEET_JOBS: "false",
    CERTFLEET_COLLECTOR_TOKEN_CACHE_SECONDS: cacheSeconds,
  });
  const app = await buildApp({ config, db, databaseUrl: t.databaseUrl });
  await app.ready();
  return { app, db };
}

beforeAll(async () => {
  [t, pki] = await Promise.all([
    createTestApp({ CERTFLEET_COLLECTOR_TOKEN_CACHE_SECONDS: "60" }),
    createPki(),
  ]);
  [notified, shortCache] = await Promise.all([instance("60"), instance("1")]);
});
afterAll(async () => {
  for (const other of [notified, shortCache]) {
    await other?.app.close();
    await other?.db.$disconnect();
  }
  await t?.close();
});

async function createToken(name: string): Promise<CollectorTokenCreated> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/tokens",
    headers: (await t.as("admin")).headers,
    payload: { name },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CollectorTokenCreated>();
}

let serial = 0x9700;
async function post(app: FastifyInstance, token: string, fqdn: string): Promise<number> {
  serial += 1;
  const certificate = await issueCertificate(pki, { fqdn, serialHex: `4c${serial.toString(16)}a0b0c0d0e0f` });
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${token}` },
    payload: buildReport(fqdn, [certificate]),
  });
  return response.statusCode;
}

/** Milliseconds until `app` answers 401 to the token (polling every 50 ms), or fails after `limitMs`. */
async function msUntilRefused(
  app: FastifyInstance,
  token: string,
  limitMs: number,
  label: string,
): Promise<number> {
  const started = Date.now();
  for (let n = 0; ; n++) {
    const status = await post(app, token, `ag${n}.${label}.contoso.com`);
    if (status === 401) return Date.now() - started;
    expect(status).toBe(201);
    if (Date.now() - started > limitMs) throw new Error(`still accepted after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const revoke = async (id: number) => {
  const response = await t.app.inject({
    method: "POST",
    url: `/api/v1/tokens/${id}/revoke`,
    headers: (await t.as("admin")).headers,
  });
  expect(response.statusCode, response.body).toBe(200);
};

describe("collector token cache", () => {
  it("refuses a revoked token at once on the revoking instance and within a second on another", async () => {
    const token = await createToken("revoked collector");
    // Verified (and so cached) on both instances first.
    expect(await post(t.app, token.token, "ms01.revoke.contoso.com")).toBe(201);
    expect(await post(notified.app, token.token, "ms02.revoke.contoso.com")).toBe(201);

    await revoke(token.id);
    expect(await post(t.app, token.token, "ms03.revoke.contoso.com")).toBe(401);
    // Its cache would trust the token for 60 s: only the notification can make this prompt.
    expect(await msUntilRefused(notified.app, token.token, 2_000, "notified")).toBeLessThan(2_000);
  });

  it("applies a narrowed scope on another instance as soon as the change is notified", async () => {
    const token = await createToken("narrowed collector");
    expect(await post(notified.app, token.token, "ms01.wide.contoso.com")).toBe(201);
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tokens/${token.id}`,
      headers: (await t.as("admin")).headers,
      payload: { scope: { managementGroups: [], fqdnSuffixes: [".dmz.contoso.com"] } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await post(t.app, token.token, "ms02.wide.contoso.com")).toBe(403);
    const started = Date.now();
    let status = 201;
    for (let n = 0; status === 201 && Date.now() - started < 2_000; n++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await post(notified.app, token.token, `ms${n + 3}.wide.contoso.com`);
    }
    expect(status).toBe(403);
  });

  it("refuses a token revoked behind the API's back within the cache's age", async () => {
    const token = await createToken("quietly revoked collector");
    expect(await post(shortCache.app, token.token, "ms01.quiet.contoso.com")).toBe(201);
    // No API call, so no notification: only the 1 s age of shortCache's entry bounds this.
    await t.db.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect(await msUntilRefused(shortCache.app, token.token, 1_500, "aged")).toBeLessThanOrEqual(1_500);
  });

  it("still records when a token was last used", async () => {
    const token = await createToken("recorded collector");
    expect(await post(t.app, token.token, "ms01.used.contoso.com")).toBe(201);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.lastUsedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
