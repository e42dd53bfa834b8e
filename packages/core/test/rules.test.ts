import { beforeAll, describe, expect, it } from "vitest";
import { evaluateHost, RULE_IDS } from "../src/index";
import { createFixture, evidence, type Fixture, findingsOf, HOST, hostInput } from "./support/fixture";
import { CERTIFICATE_SCENARIOS } from "./support/scenarios-certificate";
import { HOST_SCENARIOS } from "./support/scenarios-host";

const SCENARIOS = [...CERTIFICATE_SCENARIOS, ...HOST_SCENARIOS];

let fx: Fixture;

beforeAll(async () => {
  fx = await createFixture();
});

describe("the healthy baseline", () => {
  it("a fully healthy Management Server has no findings at all and status ok", () => {
    const evaluation = evaluateHost(hostInput(fx, evidence(fx.healthy)));
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.status).toBe("ok");
    expect(evaluation.bound?.match).toBe("exact");
    expect(evaluation.bound?.evidence.certificate.sha256).toBe(fx.healthy.sha256);
  });

  it("is also clean for a workgroup Agent named by its FQDN and for a Gateway in the Operations Manager store", () => {
    const agent = evaluateHost(
      hostInput(fx, evidence(fx.healthy), { host: { ...HOST, role: "Agent", domainJoined: false } }),
    );
    expect(agent.findings).toEqual([]);
    const gateway = evaluateHost(
      hostInput(fx, evidence(fx.healthy, { store: "LocalMachine\\Operations Manager" }), {
        host: { ...HOST, role: "Gateway" },
      }),
    );
    expect(gateway.findings).toEqual([]);
  });
});

describe("every rule fires on a report made to break it", () => {
  it("covers every rule id", () => {
    expect(new Set(SCENARIOS.map((s) => s.rule))).toEqual(new Set(RULE_IDS));
  });

  it.each(SCENARIOS.map((s) => [`${s.rule}: ${s.name}`, s] as const))("%s", async (_, scenario) => {
    const evaluation = evaluateHost(await scenario.build(fx));
    const hits = findingsOf(evaluation, scenario.rule).filter((f) => f.severity === scenario.severity);
    expect(hits, JSON.stringify(evaluation.findings, null, 2)).toHaveLength(1);
    const [hit] = hits;
    for (const value of scenario.contains) expect(hit?.message).toContain(value);
    expect(hit?.remediation.length).toBeGreaterThan(20);
    // One thing broken at a time: no other rule fires (but the info that state brings), and info never
    // changes the status.
    const expectedInfo = (f: { ruleId: string; severity: string }) =>
      f.severity === "info" && (scenario.alsoInfo as string[] | undefined)?.includes(f.ruleId);
    expect(evaluation.findings.filter((f) => f.ruleId !== scenario.rule && !expectedInfo(f))).toEqual([]);
    expect(evaluation.findings.filter(expectedInfo).length).toBe(scenario.alsoInfo?.length ?? 0);
    expect(evaluation.status).toBe(scenario.severity === "info" ? "ok" : scenario.severity);
  });
});

describe("subject-fqdn", () => {
  const subjectFindings = async (overrides: Parameters<Fixture["leaf"]>[0], host = HOST) =>
    findingsOf(evaluateHost(hostInput(fx, evidence(await fx.leaf(overrides)), { host })), "subject-fqdn");

  it("accepts the FQDN in any case and with a trailing dot", async () => {
    expect(await subjectFindings({ subject: "CN=MS01.Contoso.COM.", dnsNames: [] })).toEqual([]);
  });

  it("accepts an empty subject when the first DNS SAN is the FQDN", async () => {
    expect(
      await subjectFindings({ subject: "", dnsNames: ["ms01.contoso.com", "other.contoso.com"] }),
    ).toEqual([]);
  });

  it("reads the CN when the SAN has no DNS names", async () => {
    expect(await subjectFindings({ subject: "CN=ms01.contoso.com", dnsNames: [] })).toEqual([]);
  });

  // Issue 13: a NetBIOS name only for a host known by that single-label name (subject-names.test.ts).
  it("accepts the NetBIOS name on a workgroup host known by its single-label name", async () => {
    const workgroup = { ...HOST, fqdn: "ms01", domainJoined: false, dnsHostName: "MS01" };
    expect(await subjectFindings({ subject: "CN=MS01", dnsNames: [] }, workgroup)).toEqual([]);
    expect(await subjectFindings({ subject: "", dnsNames: ["ms01"] }, workgroup)).toEqual([]);
  });

  it("rejects a longer name that merely starts with the host label", async () => {
    const workgroup = { ...HOST, fqdn: "ms01", domainJoined: false };
    const findings = await subjectFindings({ subject: "CN=ms01x", dnsNames: [] }, workgroup);
    expect(findings.map((f) => f.severity)).toEqual(["error"]);
    expect(findings[0]?.message).toContain('"ms01x"');
  });

  it("rejects a prefix of the FQDN", async () => {
    const findings = await subjectFindings({ subject: "CN=ms01.contoso", dnsNames: [] });
    expect(findings[0]?.message).toContain('"ms01.contoso"');
  });
});

describe("certificate rules that must stay silent", () => {
  const ruleFindings = async (
    rule: (typeof RULE_IDS)[number],
    overrides: Parameters<Fixture["leaf"]>[0] = {},
    facts: Parameters<typeof evidence>[1] = {},
  ) => findingsOf(evaluateHost(hostInput(fx, evidence(await fx.leaf(overrides), facts))), rule);

  it("key usage 0xf0 (the .inf value) passes", async () => {
    const KU = (await import("./support/certificates")).KU;
    const usage = KU.digitalSignature | KU.nonRepudiation | KU.keyEncipherment | KU.dataEncipherment;
    expect(await ruleFindings("key-usage", { keyUsage: usage })).toEqual([]);
  });

  it("SHA-384 and SHA-512 signatures pass", async () => {
    expect(await ruleFindings("sha256", { signatureHash: "SHA-384" })).toEqual([]);
    expect(await ruleFindings("sha256", { signatureHash: "SHA-512" })).toEqual([]);
  });

  it("validity: one day outside the warning window is silent", async () => {
    expect(
      await ruleFindings("validity", { notAfter: new Date(Date.parse("2026-07-02T12:00:00Z")) }),
    ).toEqual([]);
  });

  it("exportable: a non-exportable key on a domain-joined host is not mentioned", async () => {
    expect(await ruleFindings("exportable", {}, { keyExportable: false })).toEqual([]);
  });

  it("csp-not-ksp stays silent when the collector could not read the provider", async () => {
    expect(await ruleFindings("csp-not-ksp", {}, { keyProvider: null, keyProviderType: null })).toEqual([]);
  });

  // Issue 13: "KeySpec not reported: info"; the seed's .inf asks for KeySpec = 1 (AT_KEYEXCHANGE).
  it("keyspec not reported (null or absent) is info only, and silent without a private key", async () => {
    for (const facts of [{ keySpec: null }, { keySpec: undefined }]) {
      const findings = await ruleFindings("keyspec", {}, facts);
      expect(findings.map((f) => f.severity)).toEqual(["info"]);
      expect(findings[0]?.message).toContain("did not report");
      expect(findings[0]?.message).toContain("1 (AT_KEYEXCHANGE)");
    }
    const evaluation = evaluateHost(hostInput(fx, evidence(fx.healthy, { keySpec: null })));
    expect(evaluation.status).toBe("ok");
    expect(
      await ruleFindings("keyspec", {}, { keySpec: null, hasPrivateKey: false, keyProvider: null }),
    ).toEqual([]);
    expect((await ruleFindings("keyspec", {}, { keySpec: 0 })).map((f) => f.severity)).toEqual(["error"]);
  });

  it("template-info: a v1 template name alone counts as template information", async () => {
    expect(await ruleFindings("template-info", { templateV2: null, templateName: "Machine" })).toEqual([]);
  });

  // Issue 13 ("Certificate rules"): the "Operations Manager" store is treated the same on every role
  // (ARCHITECTURE "Details that matter"); before, only a Gateway's certificate could live there.
  it("the Operations Manager store is accepted on every role, other stores still warn", async () => {
    const leaf = await fx.leaf();
    for (const role of ["ManagementServer", "Gateway", "Agent"] as const) {
      for (const store of ["LocalMachine\\Operations Manager", "Cert:\\LocalMachine\\operations manager"]) {
        const input = hostInput(fx, evidence(leaf, { store }), { host: { ...HOST, role } });
        expect(findingsOf(evaluateHost(input), "private-key"), `${role} ${store}`).toEqual([]);
      }
      const other = hostInput(fx, evidence(leaf, { store: "LocalMachine\\Remote Desktop" }), {
        host: { ...HOST, role },
      });
      expect(findingsOf(evaluateHost(other), "private-key")[0]?.message).toBe(
        'the certificate is in the "LocalMachine\\Remote Desktop" store, not LocalMachine\\My or the "Operations Manager" store; SCOM looks for its certificate in the Local Computer Personal store',
      );
    }
  });

  it("store names are compared without case and with a Cert:\\ prefix", async () => {
    expect(await ruleFindings("private-key", {}, { store: "Cert:\\localmachine\\MY" })).toEqual([]);
    expect(await ruleFindings("private-key", {}, { store: "My" })).toEqual([]);
  });
});
