import type { CollectorToken, CollectorTokenCreated, Problem } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { buildReport, createPki, issueCertificate, type Pki } from "./support/reports";

const DAY = 86_400_000;
let t: TestApp;
let pki: Pki;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
});
afterAll(async () => t?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const inventory = { sources: [{ name: "hosts.csv", csv: "fqdn,role\nscoped.contoso.com,Agent\n" }] };

async function report(fqdn: string) {
  const certificate = await issueCertificate(pki, {
    fqdn,
    serialHex: "6a0102030405060708",
    notBefore: new Date(Date.now() - 30 * DAY),
    notAfter: new Date(Date.now() + 300 * DAY),
  });
  return buildReport(fqdn, [certificate]);
}

async function adminPost(url: string, payload: object) {
  return t.app.inject({ method: "POST", url, headers: (await t.as("admin")).headers, payload });
}

describe("token scopes", () => {
  it("creates tokens with ['reports'] unless told, refuses an empty or unknown scope naming scopes", async () => {
    const plain = await adminPost("/api/v1/tokens", { name: "plain" });
    expect(plain.json<CollectorTokenCreated>().scopes).toEqual(["reports"]);
    for (const scopes of [[], ["export"], ["read", "read"]]) {
      const refused = await adminPost("/api/v1/tokens", { name: "bad", scopes });
      expect(refused.statusCode, JSON.stringify(scopes)).toBe(422);
      const fields = refused.json<{ errors?: { field: string }[] }>().errors?.map((error) => error.field);
      expect(
        fields?.some((field) => field.startsWith("scopes")),
        JSON.stringify(fields),
      ).toBe(true);
    }
    const listed = await t.app.inject({
      method: "GET",
      url: "/api/v1/tokens",
      headers: (await t.as("admin")).headers,
    });
    const seeded = listed
      .json<{ items: CollectorToken[] }>()
      .items.find((item) => item.name === "test collector");
    expect(seeded?.scopes).toEqual(["reports", "inventory"]);
  });

  it("changes scopes with PATCH, in force at once, audited", async () => {
    const created = (await adminPost("/api/v1/tokens", { name: "widened" })).json<CollectorTokenCreated>();
    const before = await t.app.inject({
      method: "GET",
      url: "/api/v1/summary",
      headers: bearer(created.token),
    });
    expect(before.statusCode).toBe(403);
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tokens/${created.id}`,
      headers: (await t.as("admin")).headers,
      payload: { scopes: ["reports", "read"] },
    });
    expect(patched.json<CollectorToken>().scopes).toEqual(["reports", "read"]);
    const after = await t.app.inject({
      method: "GET",
      url: "/api/v1/summary",
      headers: bearer(created.token),
    });
    expect(after.statusCode).toBe(200);
  });

  it("a reports-only token cannot import or read: 403 naming the scope it lacks", async () => {
    const token = await t.tokenWithScopes(["reports"]);
    const imported = await t.app.inject({
      method: "POST",
      url: "/api/v1/inventory",
      headers: bearer(token),
      payload: inventory,
    });
    expect(imported.statusCode).toBe(403);
    expect(imported.headers["content-type"]).toContain("application/problem+json");
    expect(imported.json<Problem>().title).toBe("Token lacks the inventory scope");
    for (const url of [
      "/api/v1/hosts",
      "/api/v1/summary",
      "/api/v1/hosts/export.csv",
      "/api/v1/hosts/x.contoso.com",
    ]) {
      const read = await t.app.inject({ method: "GET", url, headers: bearer(token) });
      expect(read.statusCode, url).toBe(403);
      expect(read.json<Problem>().title, url).toBe("Token lacks the read scope");
    }
    const posted = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports",
      headers: bearer(token),
      payload: await report("reporter.contoso.com"),
    });
    expect(posted.statusCode).toBeLessThan(300);
  });

  it("a read token reads the list, summary and exports (audited by token name) but cannot post reports", async () => {
    const token = await t.tokenWithScopes(["read"]);
    const posted = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports",
      headers: bearer(token),
      payload: await report("nope.contoso.com"),
    });
    expect(posted.statusCode).toBe(403);
    expect(posted.json<Problem>().title).toBe("Token lacks the reports scope");
    const list = await t.app.inject({ method: "GET", url: "/api/v1/hosts", headers: bearer(token) });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("reporter.contoso.com");
    const detail = await t.app.inject({
      method: "GET",
      url: "/api/v1/hosts/reporter.contoso.com",
      headers: bearer(token),
    });
    expect(detail.statusCode).toBe(200);
    const exported = await t.app.inject({
      method: "GET",
      url: "/api/v1/hosts/export.csv",
      headers: bearer(token),
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain("reporter.contoso.com");
    const audit = await t.db.auditEvent.findFirst({
      where: { action: "export.hosts_csv" },
      orderBy: { id: "desc" },
    });
    expect(audit?.actorEmail).toMatch(/^token:test read \(#\d+\)$/);
    // A token is judged alone: it opens no admin route, whatever it carries.
    const tokens = await t.app.inject({ method: "GET", url: "/api/v1/tokens", headers: bearer(token) });
    expect(tokens.statusCode).toBe(401);
  });

  it("an inventory token imports; an admin session imports with its CSRF token; a lead may not", async () => {
    const token = await t.tokenWithScopes(["inventory"]);
    const byToken = await t.app.inject({
      method: "POST",
      url: "/api/v1/inventory",
      headers: bearer(token),
      payload: inventory,
    });
    expect(byToken.statusCode, byToken.body).toBe(200);
    expect((await adminPost("/api/v1/inventory", { ...inventory, dryRun: true })).statusCode).toBe(200);
    const admin = await t.as("admin");
    const withoutCsrf = await t.app.inject({
      method: "POST",
      url: "/api/v1/inventory",
      headers: { cookie: admin.headers.cookie },
      payload: inventory,
    });
    expect(withoutCsrf.statusCode).toBe(403);
    const lead = await t.app.inject({
      method: "POST",
      url: "/api/v1/inventory",
      headers: (await t.as("lead")).headers,
      payload: inventory,
    });
    expect(lead.statusCode).toBe(403);
  });
});
