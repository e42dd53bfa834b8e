/**
 * Which hosts need a channel certificate (issue 13). Source: the seed's first paragraph ("When System Center
 * Operations Manager operates across trust boundaries where Kerberos authentication with Gateway or Windows
 * client machines isn't possible, certificate-based authentication is required ... Gateway and Windows
 * Client systems in Workgroups, Demilitarized Zones (DMZs), or other domains without a two-way trust").
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  certificateAuthRequirement,
  certificateSerialToRegistryHex,
  evaluateHost,
  requiresCertificateAuthentication,
} from "../src/index";
import type { HostEvaluationInput, HostIdentity } from "../src/types";
import { createFixture, evidence, type Fixture, findingsOf, hostInput, NOW } from "./support/fixture";

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});

const AGENT: HostIdentity = { fqdn: "agent07.contoso.com", role: "Agent", domainJoined: true };

/** A domain agent with no certificate configured: neither registry value, nothing in the store. */
function kerberosAgent(overrides: Partial<HostEvaluationInput> = {}): HostEvaluationInput {
  return hostInput(fx, evidence(fx.healthy), {
    host: { ...AGENT, certificateAuthRequired: false },
    registry: { channelCertificateSerialNumber: null, channelCertificateHash: null },
    certificates: [],
    events: [],
    ...overrides,
  });
}

describe("certificateAuthRequirement (seed, first paragraph)", () => {
  it("always requires a certificate on a gateway, whatever the settings say", () => {
    // Seed: certificates authenticate "Gateway ... systems" across the trust boundary.
    expect(
      certificateAuthRequirement({
        role: "Gateway",
        domainJoined: true,
        hostSetting: false,
        groupSetting: false,
      }),
    ).toEqual({ required: true, reason: "gateway" });
  });

  it("always requires one on a host that is not domain-joined (workgroup, DMZ)", () => {
    // Seed: "Windows Client systems in Workgroups, Demilitarized Zones (DMZs)": no Kerberos identity.
    expect(
      certificateAuthRequirement({
        role: "Agent",
        domainJoined: false,
        hostSetting: false,
        groupSetting: false,
      }),
    ).toEqual({ required: true, reason: "workgroup" });
    expect(
      certificateAuthRequirement({ role: "ManagementServer", domainJoined: false, hostSetting: false }),
    ).toEqual({ required: true, reason: "workgroup" });
  });

  it("lets the per-host setting win over the management group's, either way", () => {
    // Issue 13: "from a per-management-group or per-host setting"; the host is the narrower one.
    expect(
      certificateAuthRequirement({
        role: "Agent",
        domainJoined: true,
        hostSetting: true,
        groupSetting: false,
      }),
    ).toEqual({ required: true, reason: "host-setting" });
    expect(
      certificateAuthRequirement({
        role: "Agent",
        domainJoined: true,
        hostSetting: false,
        groupSetting: true,
      }),
    ).toEqual({ required: false, reason: "host-setting" });
  });

  it("uses the group setting when the host has none", () => {
    expect(
      certificateAuthRequirement({
        role: "Agent",
        domainJoined: true,
        hostSetting: null,
        groupSetting: false,
      }),
    ).toEqual({ required: false, reason: "group-setting" });
    expect(
      certificateAuthRequirement({ role: "ManagementServer", domainJoined: true, groupSetting: false }),
    ).toEqual({ required: false, reason: "group-setting" });
  });

  it("defaults to required for management servers and (until an admin says otherwise) domain agents", () => {
    // Issue 13: "default on for management servers". Agents: a two-way trust cannot be seen in a report,
    // so certfleet does not assume Kerberos works (see DEFAULT_CERTIFICATE_AUTH_REQUIRED).
    expect(certificateAuthRequirement({ role: "ManagementServer", domainJoined: true })).toEqual({
      required: true,
      reason: "default",
    });
    expect(
      certificateAuthRequirement({
        role: "Agent",
        domainJoined: true,
        hostSetting: null,
        groupSetting: null,
      }),
    ).toEqual({ required: true, reason: "default" });
  });
});

describe("requiresCertificateAuthentication", () => {
  it("treats an absent decision as required, and never lets a gateway or workgroup host off", () => {
    expect(requiresCertificateAuthentication(AGENT)).toBe(true);
    expect(requiresCertificateAuthentication({ ...AGENT, certificateAuthRequired: false })).toBe(false);
    expect(
      requiresCertificateAuthentication({ ...AGENT, role: "Gateway", certificateAuthRequired: false }),
    ).toBe(true);
    expect(
      requiresCertificateAuthentication({ ...AGENT, domainJoined: false, certificateAuthRequired: false }),
    ).toBe(true);
  });
});

describe("a domain host using Kerberos (issue 13, seed first paragraph)", () => {
  it("reports an absent registry serial as info 'uses Kerberos', and the host is ok", () => {
    const result = evaluateHost(kerberosAgent());
    expect(result.status).toBe("ok");
    expect(result.bound).toBeNull();
    expect(result.usesKerberos).toBe(true);
    const registry = findingsOf(result, "registry-serial");
    expect(registry).toHaveLength(1);
    expect(registry[0]?.severity).toBe("info");
    expect(registry[0]?.message).toBe(
      "uses Kerberos: no channel certificate is configured, which is expected for a domain host whose management servers are in a trusted domain",
    );
    expect(registry[0]?.remediation).not.toMatch(/^Run MOMCertImport/);
  });

  it("keeps the error when certificate authentication is required (the default)", () => {
    const result = evaluateHost(kerberosAgent({ host: AGENT }));
    expect(result.status).toBe("error");
    expect(result.usesKerberos).toBe(false);
    expect(findingsOf(result, "registry-serial")[0]?.severity).toBe("error");
    expect(findingsOf(result, "registry-serial")[0]?.message).toMatch(
      /ChannelCertificateSerialNumber is absent/,
    );
  });

  it("keeps the error on a gateway or a workgroup agent even when the caller passed false", () => {
    for (const host of [
      { ...AGENT, role: "Gateway" as const, certificateAuthRequired: false },
      { ...AGENT, domainJoined: false, certificateAuthRequired: false },
    ]) {
      const result = evaluateHost(kerberosAgent({ host }));
      expect(findingsOf(result, "registry-serial")[0]?.severity).toBe("error");
    }
  });

  it("does not ask a Kerberos host for a certificate-load event, nor name a store certificate to import", async () => {
    // A valid certificate for the host sits in the store: a certificate host would be told to import it.
    const forAgent = await fx.leaf({ subject: "CN=agent07.contoso.com", dnsNames: ["agent07.contoso.com"] });
    const result = evaluateHost(kerberosAgent({ certificates: [evidence(forAgent)] }));
    expect(findingsOf(result, "events")).toEqual([]);
    expect(result.findings.map((f) => f.message).join("\n")).not.toMatch(/MOMCertImport|20053/);
    expect(result.findings.every((f) => f.severity === "info")).toBe(true);
  });

  it("still warns about channel problems, which name Kerberos failures too (20071)", () => {
    const result = evaluateHost(
      kerberosAgent({ events: [{ id: 20071, time: new Date(NOW.getTime() - 60_000).toISOString() }] }),
    );
    const events = findingsOf(result, "events");
    expect(events).toHaveLength(1);
    expect(events[0]?.severity).toBe("warning");
    expect(events[0]?.message).toMatch(/20071/);
  });

  it("judges a host with a registry value as a certificate host whatever the setting says", () => {
    // The registry names a certificate that is not in the store: SCOM will try, and fail, to load it.
    const missing = evaluateHost(
      kerberosAgent({
        registry: {
          channelCertificateSerialNumber: certificateSerialToRegistryHex(fx.healthy.serialNumber),
          channelCertificateHash: null,
        },
      }),
    );
    expect(findingsOf(missing, "registry-serial")[0]?.severity).toBe("error");
    // Only a hash, naming nothing: configured too, so not "uses Kerberos".
    const hashOnly = evaluateHost(
      kerberosAgent({
        registry: { channelCertificateSerialNumber: null, channelCertificateHash: "AB".repeat(20) },
      }),
    );
    expect(findingsOf(hashOnly, "registry-serial")[0]?.severity).toBe("error");
    expect([missing.usesKerberos, hashOnly.usesKerberos]).toEqual([false, false]);
  });

  it("runs every certificate rule on a bound certificate even when authentication is not required", () => {
    // Bound: the host does use its certificate, so it must meet SCOM's requirements (the healthy fixture
    // names ms01, not agent07, so subject-fqdn fails).
    const result = evaluateHost(
      hostInput(fx, evidence(fx.healthy), { host: { ...AGENT, certificateAuthRequired: false } }),
    );
    expect(result.bound).not.toBeNull();
    expect(findingsOf(result, "subject-fqdn")[0]?.severity).toBe("error");
    expect(findingsOf(result, "registry-serial").some((f) => /Kerberos/.test(f.message))).toBe(false);
  });
});
