import type {
  AuditPage,
  BatchResult,
  CollectorToken,
  CollectorTokenCreated,
  IngestResult,
  Report,
} from "@certfleet/contracts";
import { createDatabaseClient } from "@certfleet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createTestApp, rowCounts, type TestApp } from "./support/app";
import {
  buildReport,
  createPki,
  type IssuedCertificate,
  issueCertificate,
  type Pki,
} from "./support/reports";

const DAY = 86_400_000;
let t: TestApp;
let pki: Pki;
let serial = 0x9100;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
});
afterAll(async () => t?.close());

async function certificateFor(fqdn: string, expiresInDays = 365): Promise<IssuedCertificate> {
  serial += 1;
  return issueCertificate(pki, {
    fqdn,
    serialHex: `3a${serial.toString(16).padStart(6, "0")}a0b0c0d0e0f`,
    notBefore: new Date(Date.now() - 300 * DAY),
    notAfter: new Date(Date.now() + expiresInDays * DAY),
  });
}

async function reportFor(
  fqdn: string,
  managementGroup: string | null,
  collectedAt?: string,
): Promise<Report> {
  const report = buildReport(fqdn, [await certificateFor(fqdn)], collectedAt ? { collectedAt } : {});
  report.host.managementGroup = managementGroup;
  return report;
}

const post = (body: unknown, token: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${token}` },
    payload: body as object,
  });

async function createToken(name: string, scope?: CollectorToken["scope"]): Promise<CollectorTokenCreated> {
  const admin = await t.as("admin");
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/tokens",
    headers: admin.headers,
    payload: scope ? { name, scope } : { name },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CollectorTokenCreated>();
}

async function audit(action: string) {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/v1/audit?action=${action}`,
    headers: (await t.as("admin")).headers,
  });
  return response.json<AuditPage>().items;
}

describe("scoped collector tokens", () => {
  let dmz: CollectorTokenCreated;

  beforeAll(async () => {
    dmz = await createToken("dmz collector", {
      managementGroups: ["MG-DMZ"],
      fqdnSuffixes: ["dmz.contoso.com"],
    });
  });

  it("stores the scope normalised and shows older tokens as fleet-wide", async () => {
    expect(dmz.scope).toEqual({ managementGroups: ["MG-DMZ"], fqdnSuffixes: [".dmz.contoso.com"] });
    const list = await t.app.inject({
      method: "GET",
      url: "/api/v1/tokens",
      headers: (await t.as("admin")).headers,
    });
    const seeded = list
      .json<{ items: CollectorToken[] }>()
      .items.find((token) => token.name === "test collector");
    expect(seeded?.scope).toEqual({ managementGroups: [], fqdnSuffixes: [] });
  });

  it("accepts a report inside the scope and records the token on the stored report", async () => {
    const response = await post(await reportFor("gw01.dmz.contoso.com", "mg-dmz"), dmz.token);
    expect(response.statusCode, response.body).toBe(201);
    const stored = await t.db.report.findFirstOrThrow({
      where: { host: { fqdn: "gw01.dmz.contoso.com" } },
      select: { tokenId: true },
    });
    expect(stored.tokenId).toBe(dmz.id);
  });

  it("refuses a report outside the scope with 403 naming both fields, and writes nothing", async () => {
    const before = await rowCounts(t.db);
    const response = await post(await reportFor("ms01.corp.contoso.com", "MG-PROD"), dmz.token);
    expect(response.statusCode).toBe(403);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    const problem = response.json<{ errors: { field: string; message: string }[] }>();
    expect(problem.errors.map((error) => error.field)).toEqual(["host.managementGroup", "host.fqdn"]);
    expect(problem.errors[1]?.message).toContain('".dmz.contoso.com"');
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("refuses a multi-homed host (contract 1.1) when any of its groups is outside the scope", async () => {
    const report = await reportFor("agent02.dmz.contoso.com", null);
    report.schemaVersion = "1.1";
    report.host.managementGroups = [{ name: "MG-DMZ" }, { name: "MG-PROD" }];
    const before = await rowCounts(t.db);
    const response = await post(report, dmz.token);
    expect(response.statusCode).toBe(403);
    const problem = response.json<{ errors: { field: string; message: string }[] }>();
    expect(problem.errors.map((error) => error.field)).toEqual(["host.managementGroups"]);
    expect(problem.errors[0]?.message).toMatch(/^"MG-PROD" is not;/);
    expect(await rowCounts(t.db)).toEqual(before);
    report.host.managementGroups = [{ name: "mg-dmz" }];
    expect((await post(report, dmz.token)).statusCode).toBe(201);
  });

  it("refuses a look-alike name that only ends with the suffix's text", async () => {
    const response = await post(await reportFor("evildmz.contoso.com", "MG-DMZ"), dmz.token);
    expect(response.statusCode).toBe(403);
    expect(response.json<{ errors: { field: string }[] }>().errors.map((error) => error.field)).toEqual([
      "host.fqdn",
    ]);
  });

  it("answers a mixed batch item by item: the out-of-scope report gets its own 403", async () => {
    const before = await rowCounts(t.db);
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports/batch",
      headers: { authorization: `Bearer ${dmz.token}` },
      payload: {
        reports: [
          await reportFor("gw02.dmz.contoso.com", "MG-DMZ"),
          await reportFor("ms02.contoso.com", "MG-DMZ"),
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<BatchResult>();
    expect(body.results.map((result) => result.status)).toEqual([201, 403]);
    expect(body.results[1]?.problem?.errors?.map((error) => error.field)).toEqual(["reports[1].host.fqdn"]);
    const after = await rowCounts(t.db);
    expect(after.reports).toBe(before.reports + 1);
    expect(after.hosts).toBe(before.hosts + 1);
    expect(await t.db.host.count({ where: { fqdn: "ms02.contoso.com" } })).toBe(0);
  });

  it("lets an admin narrow a fleet-wide token with PATCH, audited with before and after", async () => {
    const token = await createToken("branch collector");
    expect((await post(await reportFor("ag01.branch.contoso.com", "MG-PROD"), token.token)).statusCode).toBe(
      201,
    );
    const admin = await t.as("admin");
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tokens/${token.id}`,
      headers: admin.headers,
      payload: { scope: { managementGroups: [], fqdnSuffixes: [".Branch.Contoso.com."] } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<CollectorToken>().scope).toEqual({
      managementGroups: [],
      fqdnSuffixes: [".branch.contoso.com"],
    });
    const [entry] = (await audit("token.update")).filter((item) => item.entityId === String(token.id));
    expect(entry?.actor).toBe(admin.email);
    expect(entry?.before).toEqual({
      name: "branch collector",
      scope: { managementGroups: [], fqdnSuffixes: [] },
      scopes: ["reports"],
    });
    expect(entry?.after).toEqual({
      name: "branch collector",
      scope: { managementGroups: [], fqdnSuffixes: [".branch.contoso.com"] },
      scopes: ["reports"],
    });
    // The next report outside the new scope is refused; inside it still works.
    expect((await post(await reportFor("ms03.contoso.com", "MG-PROD"), token.token)).statusCode).toBe(403);
    expect((await post(await reportFor("ag02.branch.contoso.com", "MG-PROD"), token.token)).statusCode).toBe(
      201,
    );
  });

  it("refuses a bad suffix with 422 naming the entry, and lets only admins PATCH", async () => {
    const admin = await t.as("admin");
    const bad = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tokens/${dmz.id}`,
      headers: admin.headers,
      payload: { scope: { managementGroups: [], fqdnSuffixes: ["not a suffix!"] } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe("scope.fqdnSuffixes[0]");
    const viewer = await t.as("viewer");
    const refused = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tokens/${dmz.id}`,
      headers: viewer.headers,
      payload: { name: "mine now" },
    });
    expect(refused.statusCode).toBe(403);
    const missing = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/tokens/999999",
      headers: admin.headers,
      payload: { name: "nobody" },
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe("attribution of automatic task changes", () => {
  it("names the token whose report created the task in the audit entry", async () => {
    const token = await createToken("ops collector");
    const report = buildReport("ms10.contoso.com", [await certificateFor("ms10.contoso.com", 5)]);
    expect((await post(report, token.token)).statusCode).toBe(201);
    const host = await t.db.host.findUniqueOrThrow({
      where: { fqdn: "ms10.contoso.com" },
      select: { id: true },
    });
    const task = await t.db.renewalTask.findFirstOrThrow({
      where: { hostId: host.id },
      select: { id: true },
    });
    const [entry] = (await audit("task.auto_create")).filter((item) => item.entityId === String(task.id));
    expect(entry?.actor).toBeNull();
    expect(entry?.after).toMatchObject({ reportedBy: { tokenId: token.id, tokenName: "ops collector" } });
  });
});

describe("two tokens reporting one host within a day", () => {
  it("adds an info finding naming both tokens and exactly one audit entry per pair and day", async () => {
    // One after the other: the audit entry lists the pair by token id, so corp must get the lower one.
    const corp = await createToken("corp collector");
    const copied = await createToken("copied collector");
    const fqdn = "ms20.contoso.com";
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    const first = await post(await reportFor(fqdn, "MG-PROD", at(5)), corp.token);
    expect(first.json<IngestResult>().findings.some((f) => f.ruleId === "collector-tokens")).toBe(false);

    const second = await post(await reportFor(fqdn, "MG-PROD", at(4)), copied.token);
    expect(second.statusCode, second.body).toBe(201);
    const finding = second.json<IngestResult>().findings.find((f) => f.ruleId === "collector-tokens");
    expect(finding?.severity).toBe("info");
    expect(finding?.message).toContain('"copied collector"');
    expect(finding?.message).toContain('"corp collector"');
    expect(second.json<IngestResult>().host.status).toBe("ok");

    // More reports from both: still one audit entry for this pair today.
    expect((await post(await reportFor(fqdn, "MG-PROD", at(3)), corp.token)).statusCode).toBe(201);
    expect((await post(await reportFor(fqdn, "MG-PROD", at(2)), copied.token)).statusCode).toBe(201);
    const host = await t.db.host.findUniqueOrThrow({ where: { fqdn }, select: { id: true } });
    const entries = (await audit("host.collector_tokens")).filter(
      (item) => item.entityId === String(host.id),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]?.after).toMatchObject({
      fqdn,
      tokens: [
        { id: corp.id, name: "corp collector" },
        { id: copied.id, name: "copied collector" },
      ],
    });
    const stored = await t.db.hostFinding.findMany({
      where: { hostId: host.id, ruleId: "collector-tokens" },
    });
    expect(stored).toHaveLength(1);
  });

  it("writes one audit entry when two reports of the second token race on two API instances", async () => {
    const [first, second] = await Promise.all([
      createToken("site A collector"),
      createToken("site B collector"),
    ]);
    const fqdn = "ms22.contoso.com";
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    expect((await post(await reportFor(fqdn, "MG-PROD", at(6)), first.token)).statusCode).toBe(201);
    const db = createDatabaseClient(t.databaseUrl, 2);
    const config = loadConfig({ DATABASE_URL: t.databaseUrl, LOG_LEVEL: "silent", CERTFLEET_JOBS: "false" });
    const otherApp = await buildApp({ config, db, databaseUrl: t.databaseUrl });
    try {
      const [one, two] = await Promise.all([
        reportFor(fqdn, "MG-PROD", at(5)),
        reportFor(fqdn, "MG-PROD", at(4)),
      ]);
      const answers = await Promise.all([
        post(one, second.token),
        otherApp.inject({
          method: "POST",
          url: "/api/v1/reports",
          headers: { authorization: `Bearer ${second.token}` },
          payload: two,
        }),
      ]);
      expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201]);
    } finally {
      await otherApp.close();
      await db.$disconnect();
    }
    const host = await t.db.host.findUniqueOrThrow({ where: { fqdn }, select: { id: true } });
    const entries = (await audit("host.collector_tokens")).filter(
      (item) => item.entityId === String(host.id),
    );
    expect(entries).toHaveLength(1);
  });

  it("says nothing when the other token's report is more than a day apart", async () => {
    const [a, b] = await Promise.all([createToken("old collector"), createToken("new collector")]);
    const fqdn = "ms21.contoso.com";
    await post(await reportFor(fqdn, "MG-PROD", new Date(Date.now() - 3 * DAY).toISOString()), a.token);
    const response = await post(await reportFor(fqdn, "MG-PROD"), b.token);
    expect(response.json<IngestResult>().findings.some((f) => f.ruleId === "collector-tokens")).toBe(false);
  });
});
