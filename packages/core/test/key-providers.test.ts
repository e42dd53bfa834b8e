/**
 * csp-not-ksp reads the provider's name before the reported type (issue 13, "Certificate rules":
 * "Providers"). What SCOM needs: the seed, "Certificate Requirements" ("Cryptography API Key Storage
 * Provider (KSP) isn't supported"; "Provider Category: Legacy Cryptography Service Provider").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateHost } from "../src/index";
import { LEGACY_CSP_NAMES, providerKindByName } from "../src/rules/key-providers";
import { createFixture, evidence, type Fixture, findingsOf, hostInput } from "./support/fixture";

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});

type ProviderType = "CSP" | "KSP" | null;
const providerFindings = (keyProvider: string | null, keyProviderType: ProviderType) =>
  findingsOf(
    evaluateHost(hostInput(fx, evidence(fx.healthy, { keyProvider, keyProviderType }))),
    "csp-not-ksp",
  );

describe("providerKindByName: one table of names (issue 13)", () => {
  it("knows the five legacy CSPs by name, in any case and spacing", () => {
    expect(LEGACY_CSP_NAMES).toHaveLength(5);
    for (const name of LEGACY_CSP_NAMES) {
      expect(providerKindByName(name), name).toBe("CSP");
      expect(providerKindByName(`  ${name.toUpperCase().replace(/ /g, "  ")} `), name).toBe("CSP");
    }
  });

  it("any name containing Key Storage Provider, and the Platform Crypto Provider, is a KSP", () => {
    expect(providerKindByName("Microsoft Software Key Storage Provider")).toBe("KSP");
    expect(providerKindByName("Microsoft Smart Card Key Storage Provider")).toBe("KSP");
    expect(providerKindByName("SafeNet Key Storage Provider")).toBe("KSP");
    expect(providerKindByName("Microsoft Platform Crypto Provider")).toBe("KSP");
  });

  it("does not guess for other names", () => {
    expect(providerKindByName("Contoso HSM Provider")).toBeNull();
    expect(providerKindByName("")).toBeNull();
    expect(providerKindByName(null)).toBeNull();
  });
});

describe("csp-not-ksp: the name wins over the reported type (issue 13)", () => {
  it.each(LEGACY_CSP_NAMES.map((name) => [name]))(
    '"%s" reported as KSP is a warning about the collector\'s data, not an error',
    (name) => {
      const findings = providerFindings(name, "KSP");
      expect(findings.map((f) => f.severity)).toEqual(["warning"]);
      expect(findings[0]?.message).toContain(`"${name}"`);
      expect(findings[0]?.message).toContain("collector");
      expect(findings[0]?.remediation).not.toContain("MOMCertImport");
    },
  );

  it("a legacy CSP reported as CSP, or with no type, is silent", () => {
    expect(providerFindings("Microsoft Strong Cryptographic Provider", "CSP")).toEqual([]);
    expect(providerFindings("Microsoft Base Cryptographic Provider v1.0", null)).toEqual([]);
  });

  it.each([
    ["Microsoft Software Key Storage Provider", null],
    ["Microsoft Platform Crypto Provider", null],
    ["Microsoft Smart Card Key Storage Provider", "CSP"],
  ] as const)('"%s" with type %s is a KSP error naming the provider', (name, type) => {
    const findings = providerFindings(name, type);
    expect(findings.map((f) => f.severity)).toEqual(["error"]);
    expect(findings[0]?.message).toContain(`"${name}"`);
    expect(findings[0]?.message).toContain(type ?? "not reported");
  });

  it("an unknown name follows the reported type", () => {
    expect(providerFindings("Contoso HSM Provider", "KSP").map((f) => f.severity)).toEqual(["error"]);
    expect(providerFindings("Contoso HSM Provider", "CSP")).toEqual([]);
    expect(providerFindings(null, "KSP").map((f) => f.severity)).toEqual(["error"]);
  });
});
