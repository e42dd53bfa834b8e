import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { EXPIRY_BUCKETS, expiryBucket, SCOM_RULE_IDS } from "@certfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, loadConfig } from "../src/config";
import { type DemoSeedResult, seedDemoEstate } from "../src/services/demo-seed";
import { registerExpectedHosts } from "../src/services/inventory";
import { createTestApp, type RowCounts, rowCounts, type TestApp } from "./support/app";

const NOW = new Date();
const HOUR = 60 * 60 * 1000;
// A small estate keeps the test quick; the generator's own tests cover the default 3,000 agents.
const AGENTS = 300;

let t: TestApp;
let dataDir: string;
let config: Config;
let first: DemoSeedResult;
let lines: string[];

beforeAll(async () => {
  t = await createTestApp();
  dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-demo-seed-"));
  config = loadConfig({ DATABASE_URL: t.databaseUrl, CERTFLEET_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  lines = [];
  first = await seedDemoEstate(t.db, config, t.app.evaluationSettings, (line) => lines.push(line), {
    now: NOW,
    agents: AGENTS,
    concurrency: 3,
  });
}, 180_000);

afterAll(async () => {
  await t?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** { key: n } from a `SELECT … AS key, count(*)::int AS n … GROUP BY` (fixed SQL, no parameters). */
const countBy = async (sql: string): Promise<Record<string, number>> =>
  Object.fromEntries(
    (await t.db.$queryRawUnsafe<{ key: string; n: number }[]>(sql)).map((r) => [r.key, r.n]),
  );

describe("seedDemoEstate", () => {
  it("loads the estate through ingest, printing progress and the total time", () => {
    expect(first.skipped).toBe(false);
    expect(first.created).toBe(first.reports);
    expect(lines.some((line) => /demo estate: [\d,]+\/[\d,]+ reports \(\d+%\)/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/demo estate loaded: .* in \d+\.\d s/);
  });

  it("has every role in four management groups", async () => {
    expect(await countBy(`SELECT role::text AS key, count(*)::int AS n FROM "Host" GROUP BY role`)).toEqual({
      ManagementServer: 9,
      Gateway: 6,
      Agent: AGENTS,
    });
    const groups = await countBy(`
      SELECT mg.name AS key, count(*)::int AS n FROM "Host" h JOIN "ManagementGroup" mg ON mg.id = h."managementGroupId"
      GROUP BY mg.name`);
    expect(Object.keys(groups).sort()).toEqual(["MG-BRANCH", "MG-DEV", "MG-EU", "MG-PROD"]);
    expect(Object.values(groups).reduce((a, b) => a + b, 0)).toBe(9 + 6 + AGENTS);
    expect(groups["MG-PROD"]).toBeGreaterThan(groups["MG-EU"] ?? 0);
  });

  it("stores MG-BRANCH's setting first, so its domain agents show as 'uses Kerberos' from their first report", async () => {
    // Issue 13: a domain agent using Kerberos must not show as an error.
    const kerberos = await t.db.host.findMany({
      where: { usesKerberos: true },
      select: {
        role: true,
        status: true,
        managementGroup: { select: { name: true, certificateAuthRequired: true } },
      },
    });
    expect(kerberos.length).toBeGreaterThan(0);
    for (const host of kerberos)
      expect(host).toEqual({
        role: "Agent",
        status: "ok",
        managementGroup: { name: "MG-BRANCH", certificateAuthRequired: false },
      });
  });

  it("has hosts failing every SCOM rule", async () => {
    const byRule = await countBy(
      `SELECT "ruleId" AS key, count(DISTINCT "hostId")::int AS n FROM "HostFinding" GROUP BY 1`,
    );
    for (const rule of SCOM_RULE_IDS) expect(byRule[rule] ?? 0, rule).toBeGreaterThan(0);
  });

  it("is mostly healthy, with some hosts in every expiry bucket", async () => {
    const statuses = await countBy(
      `SELECT coalesce(status::text, 'none') AS key, count(*)::int AS n FROM "Host" GROUP BY 1`,
    );
    expect((statuses.ok ?? 0) / (9 + 6 + AGENTS)).toBeGreaterThan(0.75);
    expect(statuses.error).toBeGreaterThan(0);
    expect(statuses.warning).toBeGreaterThan(0);
    const hosts = await t.db.host.findMany({
      where: { boundNotAfter: { not: null } },
      select: { boundNotAfter: true },
    });
    const buckets = new Set(hosts.map((host) => expiryBucket(host.boundNotAfter as Date, NOW)));
    for (const bucket of EXPIRY_BUCKETS) expect(buckets, bucket).toContain(bucket);
  });

  it("has serial histories of three or more bindings, silent hosts and expected hosts that never reported", async () => {
    const deep = await t.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT "hostId" FROM "HostBinding" GROUP BY 1 HAVING count(*) >= 3) deep`;
    expect(deep[0]?.n).toBeGreaterThan(0);
    const silent = await t.db.host.count({
      where: { lastReportAt: { lt: new Date(NOW.getTime() - config.silentAfterHours * HOUR) } },
    });
    expect(silent).toBeGreaterThanOrEqual(3);
    const neverReported = await t.db.host.findMany({ where: { expected: true, status: null } });
    expect(neverReported.length).toBe(first.neverReported);
    expect(neverReported.length).toBeGreaterThanOrEqual(3);
    expect(neverReported.every((host) => host.lastReportAt === null && host.managementGroupId !== null)).toBe(
      true,
    );
    // The inventory lists almost every host, so silence is news; a few reporting hosts are not in it.
    expect(await t.db.host.count({ where: { expected: false } })).toBeGreaterThan(0);
    expect(await t.db.host.count({ where: { expected: true, status: { not: null } } })).toBeGreaterThan(
      AGENTS * 0.9,
    );
  });

  it("opens one renewal task per host that needs one, and gives the demo operator some of them", async () => {
    const needing = await countBy(
      `SELECT 'hosts' AS key, count(DISTINCT "hostId")::int AS n FROM "HostFinding"
        WHERE ("severity" = 'error' AND "ruleId" IN ('validity','subject-fqdn','eku-server-client','key-usage','rsa-2048','sha256','csp-not-ksp','keyspec','private-key'))
           OR ("severity" = 'warning' AND "ruleId" = 'validity')`,
    );
    const open = await t.db.renewalTask.groupBy({
      by: ["hostId"],
      where: { status: { notIn: ["done", "cancelled"] } },
    });
    expect(open.length).toBe(needing.hosts);
    const operator = await t.db.user.findUniqueOrThrow({ where: { email: "operator@demo.certfleet.local" } });
    expect(await t.db.renewalTask.count({ where: { assigneeId: operator.id } })).toBe(12);
    expect(await t.db.renewalTask.count({ where: { assigneeId: operator.id, status: "in_progress" } })).toBe(
      4,
    );
    expect(await t.db.user.count({ where: { email: { endsWith: "@demo.certfleet.local" } } })).toBe(4);
  });

  // Issue 13: a demo host's certificate carries the demo template's v2 OID, which the demo's Settings name.
  it("names the demo template OID in Settings, so a demo .inf requests it; a templateless certificate gets none", async () => {
    const inf = async (fqdn: string) =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/v1/hosts/${fqdn}/certreq.inf`,
          headers: (await t.as("operator")).headers,
        })
      ).body;
    const gateway = await inf("gw04.dmz.contoso.com");
    expect(gateway).toMatch(/^CertificateTemplate="OperationsManager"\r$/m);
    expect(gateway).toContain("template OID 1.3.6.1.4.1.311.21.8.5734392");
    expect(await inf("ms07.contoso.com")).not.toMatch(/^CertificateTemplate=/m);
  });

  it("writes nothing when run again, even with a different clock", async () => {
    const before: RowCounts = await rowCounts(t.db);
    const settings = await t.db.setting.count();
    const again: string[] = [];
    const log = (line: string) => again.push(line);
    const second = await seedDemoEstate(t.db, config, t.app.evaluationSettings, log, { agents: AGENTS });
    const third = await seedDemoEstate(t.db, config, t.app.evaluationSettings, log, {
      now: new Date(NOW.getTime() + 3 * 24 * HOUR),
      agents: AGENTS,
    });
    expect([second.skipped, third.skipped]).toEqual([true, true]);
    expect(again).toEqual(["demo estate already loaded", "demo estate already loaded"]);
    expect(await rowCounts(t.db)).toEqual(before);
    expect(await t.db.setting.count()).toBe(settings);
  });
});

describe("registerExpectedHosts", () => {
  it("marks known hosts expected without touching what they reported, and creates the rest with no status", async () => {
    const known = await t.db.host.findFirstOrThrow({ where: { expected: false, status: { not: null } } });
    const outcome = await registerExpectedHosts(t.db, [
      { fqdn: known.fqdn.toUpperCase(), role: "Agent", managementGroup: "MG-NEW", domainJoined: false },
      {
        fqdn: "new-host-0001.corp.contoso.com.",
        role: "Agent",
        managementGroup: "MG-NEW",
        domainJoined: true,
      },
    ]);
    expect(outcome).toEqual({ created: 1, marked: 1 });
    const after = await t.db.host.findUniqueOrThrow({ where: { id: known.id } });
    expect(after).toMatchObject({
      expected: true,
      status: known.status,
      managementGroupId: known.managementGroupId,
    });
    const created = await t.db.host.findUniqueOrThrow({
      where: { fqdn: "new-host-0001.corp.contoso.com" },
      include: { managementGroup: true },
    });
    expect(created).toMatchObject({ expected: true, status: null, lastReportAt: null, role: "Agent" });
    expect(created.managementGroup?.name).toBe("MG-NEW");
  });
});
