import type { HostListItem, Summary } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { allPages, fqdns, getHosts, type HostSpec, postHost } from "./support/estate";
import { createPki, type Pki } from "./support/reports";

let t: TestApp;
let pki: Pki;

const ESTATE: HostSpec[] = [
  { fqdn: "ms01.contoso.com", role: "ManagementServer", expiresInDays: 365 },
  { fqdn: "ms02.contoso.com", role: "ManagementServer", managementGroup: "MG-DEV", expiresInDays: 200 },
  { fqdn: "gw01.dmz.contoso.com", role: "Gateway", managementGroup: "MG-DMZ", expiresInDays: 5 },
  { fqdn: "agent01.contoso.com", expiresInDays: -3 },
  { fqdn: "agent02.contoso.com", managementGroup: "MG-DEV", expiresInDays: 20, keyProviderType: "KSP" },
  { fqdn: "agent03.contoso.com", managementGroup: null, expiresInDays: 45 },
  { fqdn: "agent04.contoso.com", expiresInDays: 75 },
  { fqdn: "agent05.contoso.com", unbound: true },
  { fqdn: "agent06.contoso.com", expiresInDays: 150, reportedHoursAgo: 24 * 5 },
  { fqdn: "agent07.contoso.com", expiresInDays: 100 },
];

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  for (const spec of ESTATE) await postHost(t, pki, spec);
});
afterAll(async () => t?.close());

describe("GET /api/v1/hosts filters", () => {
  it.each([
    ["status=error", ["agent01.contoso.com", "agent02.contoso.com", "agent05.contoso.com"]],
    ["status=warning", ["gw01.dmz.contoso.com"]],
    ["role=ManagementServer,Gateway", ["gw01.dmz.contoso.com", "ms01.contoso.com", "ms02.contoso.com"]],
    ["managementGroup=MG-DEV", ["agent02.contoso.com", "ms02.contoso.com"]],
    ["managementGroup=", ["agent03.contoso.com"]],
    ["rule=csp-not-ksp", ["agent02.contoso.com"]],
    ["rule=validity&findingSeverity=error", ["agent01.contoso.com"]],
    ["rule=validity&findingSeverity=warning", ["agent02.contoso.com", "gw01.dmz.contoso.com"]],
    ["expiry=expired", ["agent01.contoso.com"]],
    ["expiry=d7", ["gw01.dmz.contoso.com"]],
    ["expiry=d30", ["agent02.contoso.com"]],
    ["expiry=d60", ["agent03.contoso.com"]],
    ["expiry=d90", ["agent04.contoso.com"]],
    ["expiry=none", ["agent05.contoso.com"]],
    ["expiry=expired,d7", ["agent01.contoso.com", "gw01.dmz.contoso.com"]],
    ["expiresWithinDays=30", ["agent02.contoso.com", "gw01.dmz.contoso.com"]],
    ["reporting=silent", ["agent06.contoso.com"]],
    ["q=GW01", ["gw01.dmz.contoso.com"]],
    ["q=dmz.contoso", ["gw01.dmz.contoso.com"]],
    ["q=%25", []],
    ["role=Agent&managementGroup=MG-DEV&rule=csp-not-ksp", ["agent02.contoso.com"]],
  ])("%s", async (query, expected) => {
    const page = await getHosts(t, `${query}&sort=fqdn&limit=500`);
    expect(fqdns(page.items)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it("combines a silent reporting state and the agent role into one list with everything shown per row", async () => {
    const [row] = (await getHosts(t, "reporting=silent&role=Agent")).items;
    expect(row).toMatchObject({
      fqdn: "agent06.contoso.com",
      reporting: "silent",
      status: "ok",
      role: "Agent",
    });
    const expired = (await getHosts(t, "expiry=expired")).items[0] as HostListItem;
    expect(expired.boundCertificate?.daysLeft).toBeLessThan(0);
    expect(expired.findingCounts.error).toBeGreaterThan(0);
    expect(expired.worstFinding).toMatchObject({ ruleId: "validity", severity: "error" });
  });

  it.each([
    ["status=bogus", "status"],
    ["limit=501", "limit"],
    ["sort=size", "sort"],
    ["expiry=d45", "expiry"],
    ["unknown=1", "unknown"],
    ["cursor=not-a-cursor", "cursor"],
  ])("400 problem+json naming the field for %s", async (query, field) => {
    const response = await t.get(`/api/v1/hosts?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });
});

describe("GET /api/v1/hosts sorting and keyset pagination", () => {
  const all = () => allPages(t, "sort=fqdn&limit=500");

  it.each([
    ["fqdn", "asc"],
    ["fqdn", "desc"],
    ["expiry", "asc"],
    ["expiry", "desc"],
    ["status", "desc"],
    ["status", "asc"],
    ["lastReport", "asc"],
    ["lastReport", "desc"],
  ])(
    "sort=%s&order=%s pages of 3 equal the one-page list, with no row lost or repeated",
    async (sort, order) => {
      const onePage = (await getHosts(t, `sort=${sort}&order=${order}&limit=500`)).items;
      const paged = await allPages(t, `sort=${sort}&order=${order}&limit=3`);
      expect(fqdns(paged)).toEqual(fqdns(onePage));
      expect(new Set(fqdns(paged)).size).toBe(ESTATE.length);
      expect(fqdns(onePage)).toEqual(fqdns(expectedOrder(onePage, sort, order)));
    },
  );

  it("sorts expiry ascending soonest first, hosts without a certificate last", async () => {
    const items = (await getHosts(t, "sort=expiry&limit=500")).items;
    expect(items[0]?.fqdn).toBe("agent01.contoso.com");
    expect(items.at(-1)?.fqdn).toBe("agent05.contoso.com");
  });

  it("loses and repeats no host while reports arrive between pages", async () => {
    const before = fqdns(await all());
    let added = 0;
    const seen = await allPages(t, "sort=expiry&limit=2", async (page) => {
      // New hosts land before and after the cursor; existing hosts report again (same certificate).
      await postHost(t, pki, { fqdn: `late${page}-a.contoso.com`, expiresInDays: -10 });
      await postHost(t, pki, { fqdn: `late${page}-b.contoso.com`, expiresInDays: 900 });
      added += 2;
    });
    const names = fqdns(seen);
    expect(new Set(names).size).toBe(names.length);
    for (const fqdn of before) expect(names).toContain(fqdn);
    expect((await getHosts(t, "limit=1")).total).toBe(before.length + added);
  });
});

describe("GET /api/v1/summary", () => {
  it("every number equals the total of the host list its query opens", async () => {
    const summary = (await t.get("/api/v1/summary")).json<Summary>();
    const counts = [
      summary.total,
      ...summary.byStatus,
      ...summary.byRole,
      ...summary.byManagementGroup,
      ...summary.expiry,
      ...summary.reporting,
      ...summary.topFailingRules,
    ];
    expect(counts.length).toBeGreaterThan(20);
    for (const count of counts) {
      expect((await getHosts(t, `${count.query}&limit=1`)).total, count.query).toBe(count.count);
    }
    expect(summary.byStatus.find((count) => count.key === "error")?.count).toBeGreaterThanOrEqual(3);
    expect(summary.expiry.map((count) => count.key)).toEqual([
      "expired",
      "d7",
      "d30",
      "d60",
      "d90",
      "later",
      "none",
    ]);
    expect(summary.topFailingRules.map((rule) => rule.key)).toContain("csp-not-ksp");
    expect(summary.reporting.find((count) => count.key === "silent")?.count).toBeGreaterThanOrEqual(1);
  });

  it("the rule catalogue lists all 17 rules with host counts that match their lists", async () => {
    const { rules } = (await t.get("/api/v1/rules")).json();
    expect(rules).toHaveLength(17);
    for (const rule of rules) {
      expect(rule).toMatchObject({
        id: expect.any(String),
        title: expect.any(String),
        remediation: expect.any(String),
      });
      expect((await getHosts(t, `${rule.hosts.query}&limit=1`)).total, rule.id).toBe(rule.hosts.count);
    }
  });
});

function expectedOrder(items: HostListItem[], sort: string, order: string): HostListItem[] {
  const key = (item: HostListItem): string | number | null => {
    if (sort === "fqdn") return item.fqdn;
    if (sort === "expiry") return item.boundCertificate ? Date.parse(item.boundCertificate.notAfter) : null;
    if (sort === "lastReport") return item.lastReportAt ? Date.parse(item.lastReportAt) : null;
    return item.status === null ? null : ["ok", "warning", "error"].indexOf(item.status);
  };
  const sign = order === "asc" ? 1 : -1;
  // Postgres order: NULLs last ascending, first descending; ties by id in the same direction.
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return sign * (a.id - b.id);
    if (ka === null) return sign;
    if (kb === null) return -sign;
    return sign * (ka < kb ? -1 : 1);
  });
}
