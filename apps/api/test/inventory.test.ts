import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditPage, HostPage, InventoryImportResult, Problem, Summary } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETIRED_TASK_REASON } from "../src/services/inventory-import";
import { createTestApp, rowCounts, type TestApp } from "./support/app";
import { buildReport, createPki, issueCertificate, type Pki } from "./support/reports";

const DAY = 86_400_000;
const FIXTURES = join(__dirname, "fixtures", "inventory");
const fixture = (name: string) => ({ name, csv: readFileSync(join(FIXTURES, name), "utf8") });

let t: TestApp;
let pki: Pki;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
});
afterAll(async () => t?.close());

async function importCsv(sources: { name: string; csv: string }[], dryRun = false) {
  return t.app.inject({
    method: "POST",
    url: "/api/v1/inventory",
    headers: { authorization: `Bearer ${t.token}` },
    payload: { sources, dryRun },
  });
}

async function imported(sources: { name: string; csv: string }[], dryRun = false) {
  const response = await importCsv(sources, dryRun);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<InventoryImportResult>();
}

async function host(fqdn: string) {
  return t.db.host.findUnique({
    where: { fqdn },
    select: { role: true, expected: true, retiredAt: true, primaryServer: true, managementGroup: true },
  });
}

async function listed(query: string): Promise<string[]> {
  const response = await t.get(`/api/v1/hosts?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response
    .json<HostPage>()
    .items.map((item) => item.fqdn)
    .sort();
}

async function reportFrom(fqdn: string, managementGroup: string, expiresInDays = 300) {
  const certificate = await issueCertificate(pki, {
    fqdn,
    serialHex: "5a0102030405060708",
    notBefore: new Date(Date.now() - 30 * DAY),
    notAfter: new Date(Date.now() + expiresInDays * DAY),
  });
  const report = buildReport(fqdn, [certificate]);
  report.host.managementGroup = managementGroup;
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: report,
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
}

const csv = (...lines: string[]) => ({ name: "hosts.csv", csv: `${lines.join("\n")}\n` });

describe("POST /api/v1/inventory: the CSV shapes SCOM exports", () => {
  it("reads Get-SCOMAgent's Export-Csv (#TYPE line, PrincipalName, primary server) as agents", async () => {
    const result = await imported([fixture("get-scomagent.csv")]);
    expect(result).toMatchObject({ dryRun: false, added: 3, updated: 0, unchanged: 0, retired: 0 });
    expect(result.byManagementGroup).toEqual([
      { managementGroup: "MG-PROD", added: 3, retired: 0, total: 3 },
    ]);
    expect(await host("ag01.contoso.com")).toMatchObject({
      role: "Agent",
      expected: true,
      primaryServer: "ms01.contoso.com",
      managementGroup: { name: "MG-PROD" },
    });
  });

  it("tells Management Servers from Gateways by IsGateway, with and without the #TYPE line", async () => {
    // An import is a snapshot of each group it names: MG-PROD's agents come along, or they would be retired.
    const result = await imported([
      fixture("get-scomagent.csv"),
      fixture("get-scommanagementserver.csv"),
      fixture("get-scomgatewaymanagementserver-ps7.csv"),
    ]);
    expect(result).toMatchObject({ added: 4, unchanged: 3, retired: 0 });
    expect((await host("ms01.contoso.com"))?.role).toBe("ManagementServer");
    expect((await host("gw01.branch.contoso.com"))?.role).toBe("Gateway");
    expect(await host("gw02.dmz.contoso.com")).toMatchObject({
      role: "Gateway",
      managementGroup: { name: "MG-DMZ" },
    });
  });

  it("reads a plain fqdn,role,managementGroup CSV: an empty role is an agent, an empty group none", async () => {
    await imported([fixture("plain.csv")]);
    expect((await host("ms10.test.contoso.com"))?.role).toBe("ManagementServer");
    expect((await host("ag11.test.contoso.com"))?.role).toBe("Agent");
    expect(await host("standalone.contoso.com")).toMatchObject({ expected: true, managementGroup: null });
  });

  it("refuses bad rows with 422 naming source, line and column, and writes nothing", async () => {
    const before = await rowCounts(t.db);
    const response = await importCsv([fixture("plain.csv"), fixture("bad-rows.csv")]);
    expect(response.statusCode).toBe(422);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    const problem = response.json<Problem & { errors: { field: string; message: string }[] }>();
    expect(problem.errors.map((error) => error.field)).toEqual([
      "sources[1].csv line 3 column fqdn",
      "sources[1].csv line 4 column role",
    ]);
    expect(problem.errors[1]?.message).toContain('"Router"');
    expect(await host("good.contoso.com")).toBeNull();
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("names the line of a CSV that cannot be parsed at all (an unclosed quote)", async () => {
    const response = await importCsv([csv("fqdn,role", "a.contoso.com,Agent", '"b.contoso.com,Agent')]);
    expect(response.statusCode).toBe(422);
    expect(response.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe("sources[0].csv line 3");
  });
});

describe("inventory snapshots: retirement and return", () => {
  it("previews with dryRun (same counts, nothing written), then retires hosts missing from the group", async () => {
    await imported([
      csv(
        "fqdn,role,managementGroup",
        ...["r1", "r2", "r3", "r4"].map((n) => `${n}.snap.contoso.com,Agent,MG-SNAP`),
      ),
    ]);
    // Expiring in 10 days: a finding the rule catalogue counts, until r2 is retired.
    await reportFrom("r2.snap.contoso.com", "MG-SNAP", 10);
    const r3 = await t.db.host.findUniqueOrThrow({ where: { fqdn: "r3.snap.contoso.com" } });
    const task = await t.db.renewalTask.create({
      data: {
        hostId: r3.id,
        status: "open",
        priority: "normal",
        reasonRuleId: "expiring",
        reasonSeverity: "warning",
        reasonMessage: "expires soon",
        dueAt: new Date(Date.now() + 7 * DAY),
      },
    });
    const summaryBefore = (await t.get("/api/v1/summary")).json<Summary>().total.count;
    const ruleCounts = async () =>
      (await t.get("/api/v1/rules"))
        .json<{ rules: { hosts: { count: number } }[] }>()
        .rules.reduce((sum, rule) => sum + rule.hosts.count, 0);
    const rulesBefore = await ruleCounts();
    const findingsOfR2 = await t.db.hostFinding.count({ where: { host: { fqdn: "r2.snap.contoso.com" } } });
    // The newer snapshot of MG-SNAP lacks r2 and r3 and adds r5; a host of another group is not touched.
    const snapshot = csv(
      "fqdn,role,managementGroup",
      "r1.snap.contoso.com,Agent,MG-SNAP",
      "r4.snap.contoso.com,Agent,MG-SNAP",
      "r5.snap.contoso.com,Agent,MG-SNAP",
    );
    const before = await rowCounts(t.db);
    const preview = await imported([snapshot], true);
    expect(await rowCounts(t.db)).toEqual(before);
    expect(await host("r5.snap.contoso.com")).toBeNull();
    expect((await host("r3.snap.contoso.com"))?.retiredAt).toBeNull();

    const result = await imported([snapshot]);
    expect({ ...preview, dryRun: false }).toEqual(result);
    expect(result).toMatchObject({ added: 1, unchanged: 2, retired: 2, restored: 0 });
    expect(result.retiredHosts).toEqual(["r2.snap.contoso.com", "r3.snap.contoso.com"]);
    expect(result.byManagementGroup).toEqual([
      { managementGroup: "MG-SNAP", added: 1, retired: 2, total: 3 },
    ]);
    expect((await host("ag01.contoso.com"))?.retiredAt).toBeNull();

    // Out of lists, counts and exports; listed with retired=true.
    expect(await listed("q=snap")).toEqual([
      "r1.snap.contoso.com",
      "r4.snap.contoso.com",
      "r5.snap.contoso.com",
    ]);
    expect(await listed("q=snap&retired=true")).toEqual(["r2.snap.contoso.com", "r3.snap.contoso.com"]);
    expect((await t.get("/api/v1/summary")).json<Summary>().total.count).toBe(summaryBefore - 2 + 1);
    expect(findingsOfR2).toBeGreaterThan(0);
    expect(await ruleCounts()).toBe(rulesBefore - findingsOfR2);
    const exported = await t.get("/api/v1/hosts/export.csv?q=snap");
    expect(exported.body).toContain("r1.snap.contoso.com");
    expect(exported.body).not.toContain("r3.snap.contoso.com");

    // The retired host's open task is cancelled, with the reason in its audit trail.
    expect(await t.db.renewalTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "cancelled",
      version: task.version + 1,
    });
    const admin = await t.as("admin");
    const audit = (path: string) =>
      t.app.inject({ method: "GET", url: `/api/v1/audit?${path}`, headers: admin.headers });
    const cancelled = (await audit(`action=task.cancel&entityId=${task.id}`)).json<AuditPage>().items;
    expect(cancelled[0]?.after).toMatchObject({ status: "cancelled", reason: RETIRED_TASK_REASON });
    const [entry] = (await audit("action=inventory.import")).json<AuditPage>().items;
    // Two tasks: r3's, and the one ingest opened for r2's expiring certificate.
    expect(entry?.after).toMatchObject({ added: 1, retired: 2, cancelledTasks: 2, sources: ["hosts.csv"] });
    const r2Tasks = await t.db.renewalTask.findMany({ where: { host: { fqdn: "r2.snap.contoso.com" } } });
    expect(r2Tasks.map((item) => item.status)).toEqual(["cancelled"]);

    // r2 reports again: back at once. r3 appears in a later import: restored.
    await reportFrom("r2.snap.contoso.com", "MG-SNAP");
    expect((await host("r2.snap.contoso.com"))?.retiredAt).toBeNull();
    const again = await imported([
      csv(
        "fqdn,role,managementGroup",
        ...["r1", "r2", "r3", "r4", "r5"].map((n) => `${n}.snap.contoso.com,Agent,MG-SNAP`),
      ),
    ]);
    expect(again).toMatchObject({ added: 0, restored: 1, retired: 0 });
    expect(await listed("q=snap&retired=true")).toEqual([]);
  });

  it("retires set-based: 20,000 hosts import and retire in a few statements", async () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `bulk${i}.big.contoso.com,Agent,MG-BIG`);
    const started = Date.now();
    expect(await imported([csv("fqdn,role,managementGroup", ...names)])).toMatchObject({ added: 20_000 });
    const half = await imported([csv("fqdn,role,managementGroup", ...names.slice(0, 10_000))]);
    expect(half).toMatchObject({ unchanged: 10_000, retired: 10_000 });
    expect(half.retiredHosts).toHaveLength(100);
    // A query per host would take minutes here; set-based it is seconds even on a busy CI machine.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
