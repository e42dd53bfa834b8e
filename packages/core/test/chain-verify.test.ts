import { beforeAll, describe, expect, it } from "vitest";
import { decideRenewalTask, evaluateHost, parseCertificate, verifyChain } from "../src/index";
import type { CertificateWithDer } from "../src/types";
import { createCa, createLeaf, type Issuer } from "./support/certificates";
import { createFixture, evidence, type Fixture, findingsOf, hostInput, LOADED, NOW } from "./support/fixture";

let fx: Fixture;
let leaf: CertificateWithDer;
let issuingCa: CertificateWithDer;
let tailspinRoot: CertificateWithDer;

const withDer = (der: Uint8Array): CertificateWithDer => ({ certificate: parseCertificate(der), der });

async function leafFrom(issuer: Issuer): Promise<CertificateWithDer> {
  return withDer(await createLeaf(issuer, fx.healthyOptions));
}

beforeAll(async () => {
  fx = await createFixture();
  leaf = { certificate: fx.healthy, der: fx.der.get(fx.healthy.sha256) as Uint8Array };
  issuingCa = fx.issuingAnchor;
  const tailspin = await createCa({
    subject: "CN=Tailspin Root CA, O=Tailspin",
    keys: fx.keys.leaf,
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2040-01-01T00:00:00Z"),
  });
  tailspinRoot = withDer(tailspin.der);
});

describe("verifyChain", () => {
  it("walks leaf -> reported issuing CA -> anchored root, verifying each signature", () => {
    expect(verifyChain(leaf, [issuingCa], [fx.rootAnchor], NOW)).toEqual({
      trusted: true,
      path: ["CN=Contoso Issuing CA 1, O=Contoso", "CN=Contoso Root CA, O=Contoso"],
    });
  });

  it("accepts a configured issuing CA as the anchor", () => {
    expect(verifyChain(leaf, [], [issuingCa], NOW)).toMatchObject({ trusted: true });
  });

  it("uses configured issuing CAs as links on the way to a configured root", () => {
    expect(verifyChain(leaf, [], [fx.rootAnchor, issuingCa], NOW)).toMatchObject({ trusted: true });
  });

  it("refuses when the issuing CA is neither reported nor configured, naming it", () => {
    const verdict = verifyChain(leaf, [], [fx.rootAnchor], NOW);
    expect(verdict.trusted).toBe(false);
    if (!verdict.trusted) expect(verdict.reason).toContain('"CN=Contoso Issuing CA 1, O=Contoso"');
  });

  it("refuses a certificate signed by an impostor CA that only borrows the trusted CA's name", async () => {
    const impostor = await createCa({
      subject: "CN=Contoso Issuing CA 1, O=Contoso",
      keys: fx.keys.leaf,
      notBefore: new Date("2022-01-01T00:00:00Z"),
      notAfter: new Date("2034-01-01T00:00:00Z"),
    });
    const forged = await leafFrom(impostor);
    const verdict = verifyChain(forged, [], [issuingCa], NOW);
    expect(verdict.trusted).toBe(false);
    if (!verdict.trusted) expect(verdict.reason).toContain("does not verify with the key of");
  });

  it("refuses a path through an expired CA, naming it and its expiry", async () => {
    const expired = await createCa({
      subject: "CN=Contoso Old Issuing CA, O=Contoso",
      keys: fx.keys.ca,
      issuer: fx.root,
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2025-01-01T00:00:00Z"),
      serialHex: "03",
    });
    const verdict = verifyChain(await leafFrom(expired), [withDer(expired.der)], [fx.rootAnchor], NOW);
    expect(verdict.trusted).toBe(false);
    if (!verdict.trusted)
      expect(verdict.reason).toContain('"CN=Contoso Old Issuing CA, O=Contoso" expired on 2025-01-01');
  });

  it("refuses an anchor that is not yet valid at the report's time", () => {
    const verdict = verifyChain(leaf, [], [issuingCa], new Date("2021-06-01T00:00:00Z"));
    expect(verdict).toMatchObject({ trusted: false });
  });

  it("says when the chain ends at a root that is not an anchor", () => {
    const verdict = verifyChain(leaf, [issuingCa, fx.rootAnchor], [tailspinRoot], NOW);
    expect(verdict.trusted).toBe(false);
    if (!verdict.trusted)
      expect(verdict.reason).toContain(
        'ends at the root "CN=Contoso Root CA, O=Contoso", which is not a configured trust anchor',
      );
  });

  it("ignores reported certificates that are not CAs", async () => {
    const notCa = withDer(
      await createLeaf(fx.root, { ...fx.healthyOptions, subject: "CN=Contoso Issuing CA 1, O=Contoso" }),
    );
    expect(verifyChain(leaf, [notCa], [fx.rootAnchor], NOW)).toMatchObject({ trusted: false });
  });
});

describe("chain rule with trust anchors", () => {
  const reported = () => [evidence(fx.healthy), evidence(fx.issuingParsed)];

  it("passes when the bound certificate chains to an anchor through a reported CA", () => {
    const input = hostInput(fx, evidence(fx.healthy), {
      certificates: reported(),
      settings: { expiryWarningDays: 30, trustAnchors: [fx.rootAnchor] },
    });
    expect(findingsOf(evaluateHost(input), "chain")).toEqual([]);
  });

  it("is an error when it chains elsewhere, although the host says its chain is valid", () => {
    const input = hostInput(fx, evidence(fx.healthy, { hostChainValid: true }), {
      certificates: [evidence(fx.healthy, { hostChainValid: true }), evidence(fx.issuingParsed)],
      settings: { expiryWarningDays: 30, trustAnchors: [tailspinRoot] },
    });
    const evaluation = evaluateHost(input);
    const [finding] = findingsOf(evaluation, "chain");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain("does not chain to a configured trust anchor");
    expect(finding?.message).toContain('"CN=Tailspin Root CA, O=Tailspin"');
    expect(evaluation.status).toBe("error");
  });

  it("is an error when the certificate's bytes were not supplied (nothing to verify)", () => {
    const input = hostInput(fx, evidence(fx.healthy), {
      certificateDer: new Map(),
      settings: { expiryWarningDays: 30, trustAnchors: [fx.rootAnchor] },
    });
    expect(findingsOf(evaluateHost(input), "chain")[0]?.message).toContain("bytes were not available");
  });

  it("keeps the task open when the new certificate fails the anchor check, closes it when it passes", async () => {
    const renewed = await fx.leaf({ serialHex: "1F00000009C694DAC94BCFDC4A000000000009" });
    const task = {
      status: "in_progress" as const,
      certificateSha256: "old-certificate",
      resolvedCertificateSha256: null,
    };
    const stateWith = (anchors: CertificateWithDer[]) => {
      const input = hostInput(fx, evidence(renewed), {
        certificates: [evidence(renewed), evidence(fx.issuingParsed)],
        events: [LOADED],
        settings: { expiryWarningDays: 30, trustAnchors: anchors },
      });
      const evaluation = evaluateHost(input);
      return {
        boundSha256: evaluation.bound?.evidence.certificate.sha256 ?? null,
        boundNotAfter: new Date(renewed.notAfter),
        boundNotBefore: new Date(renewed.notBefore),
        // First reported bound before the 20053 (LOADED, 08:00): the load is of this certificate.
        boundFirstSeenAt: new Date("2026-06-01T07:00:00Z"),
        findings: evaluation.findings,
        events: input.events,
      };
    };
    expect(decideRenewalTask(task, stateWith([tailspinRoot]), NOW)).toEqual({ kind: "none" });
    expect(decideRenewalTask(task, stateWith([fx.rootAnchor]), NOW)).toEqual({
      kind: "close",
      resolvedCertificateSha256: renewed.sha256,
    });
  });
});

describe("collector-tokens rule", () => {
  it("is an info finding naming both tokens when another token reported the host within a day", () => {
    const input = hostInput(fx, evidence(fx.healthy), {
      reportingTokens: { current: "dmz collector", others: ["corp collector"] },
    });
    const evaluation = evaluateHost(input);
    const [finding] = findingsOf(evaluation, "collector-tokens");
    expect(finding?.severity).toBe("info");
    expect(finding?.message).toContain('"dmz collector" and "corp collector"');
    expect(evaluation.status).toBe("ok");
  });

  it("says nothing for one token, or without token information", () => {
    const one = hostInput(fx, evidence(fx.healthy), { reportingTokens: { current: "a", others: ["a"] } });
    expect(findingsOf(evaluateHost(one), "collector-tokens")).toEqual([]);
    expect(findingsOf(evaluateHost(hostInput(fx, evidence(fx.healthy))), "collector-tokens")).toEqual([]);
  });
});
