import { SCOM_RULE_IDS } from "@certfleet/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_AGENTS, type HostPlan, planDemoEstate, SCENARIO_IDS, SCENARIOS } from "../src/index";

const NOW = new Date("2026-11-25T12:00:00Z");
const plan = planDemoEstate({ now: NOW });
const count = (hosts: HostPlan[], predicate: (host: HostPlan) => boolean) => hosts.filter(predicate).length;

describe("planDemoEstate (pure: no certificates issued)", () => {
  it("has four management groups, nine Management Servers, six DMZ Gateways and 3,000 agents", () => {
    const byRole = (role: string) => plan.hosts.filter((host) => host.role === role);
    expect(byRole("ManagementServer").map((host) => host.fqdn)).toEqual(
      Array.from({ length: 9 }, (_, i) => `ms0${i + 1}.contoso.com`),
    );
    const gateways = byRole("Gateway");
    expect(gateways.map((host) => host.fqdn).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `gw0${i + 1}.dmz.contoso.com`),
    );
    expect(gateways.every((host) => !host.domainJoined && host.primaryServer?.startsWith("ms"))).toBe(true);
    const stores = gateways.flatMap((host) => host.reports.flatMap((r) => r.store.map((e) => e.facts.store)));
    expect(new Set(stores)).toEqual(new Set(["LocalMachine\\My", "LocalMachine\\Operations Manager"]));
    expect(byRole("Agent")).toHaveLength(DEFAULT_AGENTS);
    expect(new Set(plan.hosts.map((host) => host.managementGroup))).toEqual(
      new Set(["MG-PROD", "MG-EU", "MG-DEV", "MG-BRANCH"]),
    );
  });

  it("gives every host a unique FQDN and every agent a primary server in its own group", () => {
    expect(new Set(plan.hosts.map((host) => host.fqdn)).size).toBe(plan.hosts.length);
    const groupOf = new Map(plan.hosts.map((host) => [host.fqdn, host.managementGroup]));
    for (const agent of plan.hosts.filter((host) => host.role === "Agent")) {
      expect(groupOf.get(agent.primaryServer ?? "")).toBe(agent.managementGroup);
    }
  });

  it("hands out unique serials, all 19 octets (20 with a DER sign byte)", () => {
    const serials = plan.certificates.map((spec) => spec.derSerial);
    expect(new Set(serials).size).toBe(serials.length);
    for (const spec of plan.certificates) {
      expect(spec.serialHex).toMatch(/^[0-9A-F]{38}$/);
      expect(spec.derSerial).toBe(/^[89A-F]/.test(spec.serialHex) ? `00${spec.serialHex}` : spec.serialHex);
    }
  });

  it("puts every scenario on at least one host, so every rule has a host that trips it", () => {
    for (const id of SCENARIO_IDS)
      expect(
        count(plan.hosts, (host) => host.scenario === id),
        id,
      ).toBeGreaterThan(0);
    // template-info needs no scenario (agents without template info are ordinary); validity has buckets.
    const covered = new Set<string>([
      "template-info",
      "validity",
      ...Object.values(SCENARIOS).map((meta) => meta.rule ?? ""),
    ]);
    for (const rule of SCOM_RULE_IDS) expect(covered, rule).toContain(rule);
  });

  it("keeps most hosts healthy and has some in every expiry bucket", () => {
    // A Kerberos agent (MG-BRANCH) is as fine as a healthy one: it needs no certificate (issue 13).
    const fine = (host: HostPlan) => host.scenario === "healthy" || host.scenario === "uses-kerberos";
    expect(count(plan.hosts, fine) / plan.hosts.length).toBeGreaterThan(0.95);
    for (const bucket of ["expired", "d7", "d30", "d60", "d90"]) {
      expect(
        count(plan.hosts, (host) => host.bucket === bucket),
        bucket,
      ).toBeGreaterThanOrEqual(2);
    }
    expect(count(plan.hosts, (host) => host.bucket === "later") / plan.hosts.length).toBeGreaterThan(0.85);
  });

  it("has silent hosts (~2%), renewal histories of two or three renewals, and never-reported inventory hosts", () => {
    const silent = plan.hosts.filter((host) => host.silent);
    expect(silent.length).toBe(60);
    for (const host of silent) {
      const newest = host.reports.at(-1)?.collectedAt.getTime() ?? 0;
      expect(NOW.getTime() - newest).toBeGreaterThanOrEqual(3 * 86_400_000);
      expect(NOW.getTime() - newest).toBeLessThanOrEqual(10 * 86_400_000 + 60_000);
    }
    const histories = plan.hosts.filter((host) => host.renewals >= 2);
    expect(histories.length).toBeGreaterThanOrEqual(20);
    for (const host of histories) expect(host.reports).toHaveLength(host.renewals + 1);
    const never = plan.hosts.filter((host) => host.reports.length === 0);
    expect(never.length).toBeGreaterThanOrEqual(3);
    expect(never.every((host) => host.inventory)).toBe(true);
  });

  it("orders each host's reports by time and keeps every report in the past", () => {
    for (const host of plan.hosts) {
      const times = host.reports.map((report) => report.collectedAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const time of times) expect(time).toBeLessThan(NOW.getTime());
    }
  });

  it("is deterministic for a seed and scales down for small estates", () => {
    const again = planDemoEstate({ now: NOW });
    expect(again.certificates.map((spec) => spec.serialHex)).toEqual(
      plan.certificates.map((s) => s.serialHex),
    );
    const small = planDemoEstate({ now: NOW, agents: 300 });
    expect(small.hosts.filter((host) => host.role === "Agent")).toHaveLength(300);
    for (const id of SCENARIO_IDS)
      expect(
        count(small.hosts, (host) => host.scenario === id),
        id,
      ).toBeGreaterThan(0);
  });
});
