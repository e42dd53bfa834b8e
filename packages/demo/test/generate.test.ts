import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ReportSchema } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate, SCOM_RULE_IDS } from "@certfleet/core";
import { createLeaf, type Issuer } from "@certfleet/pki";
import { X509Certificate } from "@peculiar/x509";
import { Compile } from "typebox/compile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CA_FILE, type DemoEstate, generateDemoEstate, loadOrCreateDemoCa } from "../src/index";
import { evaluateEstate } from "./evaluate-estate";

const NOW = new Date("2026-11-25T12:00:00Z");
let dataDir: string;
let estate: DemoEstate;
let ca: Issuer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-demo-test-"));
  ca = (await loadOrCreateDemoCa(dataDir, NOW)).issuer;
  estate = await generateDemoEstate({ now: NOW, ca, agents: 300 });
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("generateDemoEstate", () => {
  it("writes reports that meet the collector contract, oldest first", () => {
    const check = Compile(ReportSchema);
    for (const report of estate.reports) expect(check.Check(report), report.host.fqdn).toBe(true);
    const times = estate.reports.map((report) => Date.parse(report.collectedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(estate.reports.length).toBe(estate.plan.hosts.reduce((n, host) => n + host.reports.length, 0));
  });

  it("imports like MOMCertImport: the registry holds the mirrored serial, then 20053 is logged", () => {
    const healthy = estate.plan.hosts.filter(
      (host) => host.scenario === "healthy" && host.reports.length > 0,
    );
    const reports = new Map(estate.reports.map((report) => [report.host.fqdn, report]));
    for (const host of healthy) {
      const report = reports.get(host.fqdn);
      const bound = parseCertificate(Buffer.from(report?.certificates[0]?.der ?? "", "base64"));
      expect(report?.registry.channelCertificateSerialNumber).toBe(
        certificateSerialToRegistryHex(bound.serialNumber),
      );
      expect(bound.issuer).toContain("Contoso Issuing CA 1");
      const loaded = report?.events.find((event) => event.id === 20053);
      expect(Date.parse(loaded?.time ?? "")).toBeGreaterThan(Date.parse(bound.notBefore));
    }
  });

  it("trips every SCOM rule on some host, and leaves the healthy ones ok but for expiry", () => {
    const evaluations = evaluateEstate(estate.reports);
    const failing = new Set(
      [...evaluations.values()].flatMap((evaluation) => evaluation.findings.map((f) => f.ruleId)),
    );
    for (const rule of SCOM_RULE_IDS) expect(failing, rule).toContain(rule);
    for (const host of estate.plan.hosts) {
      if (host.scenario !== "healthy" || host.bucket !== "later" || host.reports.length === 0) continue;
      expect(evaluations.get(host.fqdn)?.status, host.fqdn).toBe("ok");
    }
  });

  it("shows domain agents of a group that needs no certificate as 'uses Kerberos' (info), not errors", () => {
    // Issue 13 / the seed's first paragraph: certificates only where Kerberos cannot work. MG-BRANCH's
    // setting says its domain agents authenticate with Kerberos; they report no serial and no certificate.
    const evaluations = evaluateEstate(estate.reports);
    const kerberos = estate.plan.hosts.filter((host) => host.scenario === "uses-kerberos");
    expect(kerberos.length).toBeGreaterThan(0);
    for (const host of kerberos) {
      expect(host).toMatchObject({ managementGroup: "MG-BRANCH", role: "Agent", domainJoined: true });
      const evaluation = evaluations.get(host.fqdn);
      expect(evaluation?.usesKerberos, host.fqdn).toBe(true);
      expect(evaluation?.status, host.fqdn).toBe("ok");
      expect(evaluation?.findings.find((f) => f.ruleId === "registry-serial")).toMatchObject({
        severity: "info",
        message: expect.stringMatching(/^uses Kerberos/),
      });
    }
    // The group's management server has its certificate and is judged as ever.
    expect(evaluations.get("ms09.contoso.com")?.usesKerberos).toBe(false);
  });

  // Issue 13, "time matters": MOMCertImport re-ran after the newest 20053 (the contract 1.1 report says
  // when the Machine Settings key was written) and the Health Service was not restarted since.
  it("shows hosts whose certificate load is unconfirmed: an info naming the 20053 and the last write", () => {
    const evaluations = evaluateEstate(estate.reports);
    const reports = new Map(estate.reports.map((report) => [report.host.fqdn, report]));
    const hosts = estate.plan.hosts.filter((host) => host.scenario === "load-unconfirmed");
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) {
      const report = reports.get(host.fqdn);
      expect(report?.schemaVersion, host.fqdn).toBe("1.1");
      const events = evaluations.get(host.fqdn)?.findings.filter((f) => f.ruleId === "events");
      expect(
        events?.map((f) => f.severity),
        host.fqdn,
      ).toEqual(["info"]);
      expect(events?.[0]?.message).toContain(
        `older than the last write of the Machine Settings registry key (${report?.registry.lastWriteTime})`,
      );
      expect(events?.[0]?.message).toContain("unconfirmed");
    }
  });

  // Issue 13: each new finding has demo hosts, at the severity the issue gives it. Certificate rules; and the
  // connector events beyond the seed (Microsoft's MOMConnector event reference): 21036 is a load failure that
  // supersedes the older 20053, 21007 a channel problem after a good load, 21022 confirms that the registry
  // names no certificate.
  it.each([
    ["revocation-offline", "chain", "warning", ""],
    ["subject-several-cns", "subject-fqdn", "warning", ""],
    ["subject-netbios-on-fqdn-host", "subject-fqdn", "error", ""],
    ["ksp-untyped", "csp-not-ksp", "error", ""],
    ["csp-typed-ksp", "csp-not-ksp", "warning", ""],
    ["keyspec-unreported", "keyspec", "info", ""],
    ["registry-certificate-unusable", "events", "error", "21036"],
    ["mutual-auth-failed", "events", "warning", "21007"],
    ["never-imported", "registry-serial", "error", "event 21022"],
  ] as const)("%s hosts get a %s %s (naming '%s')", (scenario, rule, severity, text) => {
    const evaluations = evaluateEstate(estate.reports);
    const hosts = estate.plan.hosts.filter((host) => host.scenario === scenario && host.reports.length > 0);
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) {
      const findings = evaluations.get(host.fqdn)?.findings.filter((f) => f.ruleId === rule) ?? [];
      expect(
        findings.map((f) => f.severity),
        host.fqdn,
      ).toEqual([severity]);
      expect(findings[0]?.message, host.fqdn).toContain(text);
    }
  });

  // Issue 13: a renewal that cannot be imported is named with its reason; the host a clone copied its
  // certificate from gets the duplicate as a warning (the certificate names it), the clone as an error.
  it("shows each issue-13 finding on its scenario's hosts", () => {
    const evaluations = evaluateEstate(estate.reports);
    const findingsOn = (scenario: string, rule: string) => {
      const hosts = estate.plan.hosts.filter((host) => host.scenario === scenario);
      expect(hosts.length, scenario).toBeGreaterThan(0);
      return hosts.map((host) => ({
        fqdn: host.fqdn,
        findings: (evaluations.get(host.fqdn)?.findings ?? []).filter((f) => f.ruleId === rule),
      }));
    };
    for (const { fqdn, findings } of findingsOn("renewal-without-key", "registry-serial")) {
      expect(
        findings.map((f) => f.severity),
        fqdn,
      ).toEqual(["warning"]);
      expect(findings[0]?.message, fqdn).toContain("renewal cannot be imported");
      expect(findings[0]?.message, fqdn).toContain("[private-key]");
      expect(findings[0]?.remediation, fqdn).toContain("certutil -repairstore my");
    }
    for (const { fqdn, findings } of findingsOn("renewal-ksp", "registry-serial")) {
      expect(findings[0]?.message, fqdn).toContain("[csp-not-ksp]");
      expect(findings[0]?.message, fqdn).not.toContain("run MOMCertImport");
    }
    for (const { fqdn, findings } of findingsOn("renewed-not-reimported", "registry-serial")) {
      expect(findings[0]?.message, fqdn).toContain("renewed but not re-imported");
    }
    for (const { fqdn, findings } of findingsOn("clone-source", "duplicate")) {
      expect(
        findings.map((f) => f.severity),
        fqdn,
      ).toEqual(["warning"]);
    }
    for (const { fqdn, findings } of findingsOn("cloned", "duplicate")) {
      expect(
        findings.map((f) => f.severity),
        fqdn,
      ).toEqual(["error"]);
    }
  });

  it("keeps the inventory: every expected host, including those that never reported", () => {
    const inventory = new Set(estate.inventory.map((host) => host.fqdn));
    for (const host of estate.plan.hosts) expect(inventory.has(host.fqdn), host.fqdn).toBe(host.inventory);
    expect(estate.plan.hosts.some((host) => !host.inventory)).toBe(true);
  });
});

describe("loadOrCreateDemoCa", () => {
  it("creates the CA once per data directory, private to its owner, and reuses it", async () => {
    const file = path.join(dataDir, DEMO_CA_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateDemoCa(dataDir, new Date());
    expect(again.created).toBe(false);
    expect(Buffer.from(again.issuer.der).equals(Buffer.from(ca.der))).toBe(true);
    // The reloaded private key is the CA's: what it signs verifies against the original certificate.
    const der = await createLeaf(again.issuer, {
      keys: again.issuer.keys,
      subject: "CN=check.contoso.com",
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 86_400_000),
      serialHex: "42",
    });
    expect(
      await new X509Certificate(der).verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }),
    ).toBe(true);
  });
});
