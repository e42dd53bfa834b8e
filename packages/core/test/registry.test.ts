import type { CandidateCertificateFacts } from "@certfleet/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import {
  certificateSerialToRegistryHex,
  evaluateHost,
  findBoundCertificate,
  parseCertificate,
} from "../src/index";
import type { ParsedCertificate, RuleId } from "../src/types";
import { createCa, createLeaf, type LeafOptions } from "./support/certificates";
import { createFixture, daysFromNow, evidence, type Fixture, findingsOf, hostInput } from "./support/fixture";

let fx: Fixture;
/** Same serial as the healthy certificate, different key usage: a second certificate sharing a serial. */
let twin: ParsedCertificate;
/** Serial with the top bit set: encoded with a 00 sign byte. */
let signed: ParsedCertificate;
/** A full 20-octet serial. */
let twenty: ParsedCertificate;

beforeAll(async () => {
  fx = await createFixture();
  [twin, signed, twenty] = await Promise.all([
    fx.leaf({ notAfter: new Date("2026-12-01T00:00:00Z") }),
    fx.leaf({ serialHex: "C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8091A2B3C" }),
    fx.leaf({ serialHex: "7F0102030405060708090A0B0C0D0E0F10111213" }),
  ]);
});

const registry = (certificate: ParsedCertificate, hash: string | null = null) => ({
  channelCertificateSerialNumber: certificateSerialToRegistryHex(certificate.serialNumber),
  channelCertificateHash: hash,
});

describe("findBoundCertificate", () => {
  it("binds the certificate whose serial the mirrored registry value names", () => {
    const bound = findBoundCertificate(registry(fx.healthy), [evidence(signed), evidence(fx.healthy)]);
    expect(bound?.match).toBe("exact");
    expect(bound?.evidence.certificate.sha256).toBe(fx.healthy.sha256);
  });

  it("binds a 21-octet (sign byte) serial exactly, and numeric-only without the sign byte", () => {
    expect(signed.serialNumber).toBe("00C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8091A2B3C");
    expect(findBoundCertificate(registry(signed), [evidence(signed)])?.match).toBe("exact");
    const withoutSignByte = certificateSerialToRegistryHex(signed.serialNumber.slice(2));
    const bound = findBoundCertificate({ channelCertificateSerialNumber: withoutSignByte }, [
      evidence(signed),
    ]);
    expect(bound?.match).toBe("numeric-only");
  });

  it("binds a 20-octet serial on all 20 bytes", () => {
    expect(findBoundCertificate(registry(twenty), [evidence(twenty)])?.match).toBe("exact");
    const truncated = certificateSerialToRegistryHex(twenty.serialNumber.slice(2));
    expect(
      findBoundCertificate({ channelCertificateSerialNumber: truncated }, [evidence(twenty)]),
    ).toBeNull();
  });

  it("prefers an exact match over a numeric-only one", () => {
    const a = { ...fx.healthy, serialNumber: "00AB", sha256: "a".repeat(64) };
    const b = { ...fx.healthy, serialNumber: "AB", sha256: "b".repeat(64) };
    const bound = findBoundCertificate({ channelCertificateSerialNumber: "AB" }, [evidence(a), evidence(b)]);
    expect(bound?.evidence.certificate.sha256).toBe("b".repeat(64));
    expect(bound?.match).toBe("exact");
  });

  it("with two certificates sharing a serial, prefers the one the hash names, then one with a private key", () => {
    const both = [evidence(fx.healthy), evidence(twin)];
    expect(
      findBoundCertificate(registry(fx.healthy, twin.thumbprint), both)?.evidence.certificate.sha256,
    ).toBe(twin.sha256);
    const keyless = [evidence(fx.healthy, { hasPrivateKey: false }), evidence(twin)];
    expect(findBoundCertificate(registry(fx.healthy), keyless)?.evidence.certificate.sha256).toBe(
      twin.sha256,
    );
  });

  it("falls back to ChannelCertificateHash (thumbprint, any case and separators, or SHA-256)", () => {
    const spaced = fx.healthy.thumbprint.toLowerCase().match(/../g)?.join(" ") ?? "";
    const byHash = findBoundCertificate(
      { channelCertificateSerialNumber: null, channelCertificateHash: spaced },
      [evidence(fx.healthy)],
    );
    expect(byHash?.match).toBe("hash");
    const bySha256 = findBoundCertificate(
      { channelCertificateSerialNumber: null, channelCertificateHash: fx.healthy.sha256 },
      [evidence(fx.healthy)],
    );
    expect(bySha256?.match).toBe("hash");
  });

  it("returns null when nothing is named, or the registry value is blank or not hex", () => {
    const store = [evidence(fx.healthy)];
    expect(findBoundCertificate({ channelCertificateSerialNumber: null }, store)).toBeNull();
    expect(findBoundCertificate({ channelCertificateSerialNumber: "  " }, store)).toBeNull();
    expect(findBoundCertificate({ channelCertificateSerialNumber: "not hex" }, store)).toBeNull();
    expect(findBoundCertificate(registry(fx.healthy), [])).toBeNull();
  });
});

describe("registry-serial", () => {
  it("no bound certificate: only registry-serial (error) and events apply, even for a broken certificate", async () => {
    const broken = await fx.leaf({ signatureHash: "SHA-1", ekus: null, notAfter: daysFromNow(-1) });
    const evaluation = evaluateHost(
      hostInput(fx, evidence(broken, { keySpec: 2 }), {
        registry: { channelCertificateSerialNumber: null },
        events: [],
      }),
    );
    expect(evaluation.bound).toBeNull();
    expect(evaluation.status).toBe("error");
    expect([...new Set(evaluation.findings.map((f) => f.ruleId))]).toEqual(["registry-serial", "events"]);
  });

  it("absent serial with a valid certificate for the host in the store names that certificate", () => {
    const evaluation = evaluateHost(
      hostInput(fx, evidence(fx.healthy), { registry: { channelCertificateSerialNumber: null } }),
    );
    const [finding] = findingsOf(evaluation, "registry-serial");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(`serial ${fx.healthy.serialNumber}, expiring 2027-01-01`);
    expect(finding?.remediation).toContain(`serial ${fx.healthy.serialNumber}`);
  });

  // Issue 13, "Connector events": 21022 (no certificate specified, MOMConnector event reference)
  // corroborates a missing registry value; it adds nothing when the value is there.
  it("absent serial with event 21022 names the newest 21022 as confirming it", () => {
    const absent = (events: { id: number; time: string }[]) =>
      findingsOf(
        evaluateHost(
          hostInput(fx, evidence(fx.healthy), { registry: { channelCertificateSerialNumber: null }, events }),
        ),
        "registry-serial",
      )[0]?.message;
    expect(
      absent([
        { id: 21022, time: "2026-06-01T09:00:00Z" },
        { id: 21022, time: "2026-06-01T11:00:00Z" },
        { id: 21022, time: "2026-06-01T10:00:00Z" },
      ]),
    ).toContain("(event 21022 at 2026-06-01T11:00:00Z, no certificate specified, confirms it)");
    expect(absent([{ id: 20053, time: "2026-06-01T09:00:00Z" }])).not.toContain("21022");
    const present = evaluateHost(
      hostInput(fx, evidence(fx.healthy), { events: [{ id: 21022, time: "2026-06-01T09:00:00Z" }] }),
    );
    expect(findingsOf(present, "registry-serial")).toEqual([]);
  });

  it("a registry value that is not hex is an error naming the value", () => {
    const evaluation = evaluateHost(
      hostInput(fx, evidence(fx.healthy), { registry: { channelCertificateSerialNumber: "zz-top" } }),
    );
    expect(findingsOf(evaluation, "registry-serial")[0]?.message).toContain('"zz-top" is not hexadecimal');
  });

  it("renewed but not re-imported: warns with the newer serial and expiry", async () => {
    const renewed = await fx.leaf({
      serialHex: "5500AA",
      notBefore: daysFromNow(-2),
      notAfter: daysFromNow(400),
    });
    const input = hostInput(fx, evidence(fx.healthy));
    const evaluation = evaluateHost({ ...input, certificates: [...input.certificates, evidence(renewed)] });
    const findings = findingsOf(evaluation, "registry-serial");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe("warning");
    expect(findings[0]?.message).toBe(
      "renewed but not re-imported: a newer valid certificate for this host, serial 5500AA, expiring 2027-07-06, is in the store but not imported: run MOMCertImport",
    );
    expect(evaluation.status).toBe("warning");
  });

  it("names the newest of several renewals", async () => {
    const [r1, r2] = await Promise.all([
      fx.leaf({ serialHex: "11", notBefore: daysFromNow(-2), notAfter: daysFromNow(300) }),
      fx.leaf({ serialHex: "22", notBefore: daysFromNow(-1), notAfter: daysFromNow(500) }),
    ]);
    const input = hostInput(fx, evidence(fx.healthy));
    const evaluation = evaluateHost({
      ...input,
      certificates: [evidence(r1), ...input.certificates, evidence(r2)],
    });
    expect(findingsOf(evaluation, "registry-serial")[0]?.message).toContain("serial 22,");
  });

  it("no renewal finding for certificates that are not renewals of this host's channel certificate", async () => {
    const [otherHost, webServer, older, ca] = await Promise.all([
      fx.leaf({ serialHex: "31", subject: "CN=ms02.contoso.com", dnsNames: [], notAfter: daysFromNow(500) }),
      // A web server certificate for the same name: Server Authentication only, not a channel certificate.
      fx.leaf({ serialHex: "33", ekus: ["1.3.6.1.5.5.7.3.1"], notAfter: daysFromNow(500) }),
      fx.leaf({ serialHex: "35", notAfter: daysFromNow(100) }),
      fx.leaf({ serialHex: "36", isCa: true, notAfter: daysFromNow(500) }),
    ]);
    const input = hostInput(fx, evidence(fx.healthy));
    const evaluation = evaluateHost({
      ...input,
      certificates: [
        ...input.certificates,
        evidence(otherHost),
        evidence(webServer),
        evidence(older),
        evidence(ca),
      ],
    });
    expect(findingsOf(evaluation, "registry-serial")).toEqual([]);
  });
  it("ChannelCertificateHash naming a certificate that is not in the store is an error", () => {
    const evaluation = evaluateHost(
      hostInput(fx, evidence(fx.healthy), {
        registry: { ...registry(fx.healthy), channelCertificateHash: "AB".repeat(20) },
      }),
    );
    const [finding] = findingsOf(evaluation, "registry-serial");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(
      `ChannelCertificateHash ${"AB".repeat(20)} names no certificate in the store`,
    );
  });

  it("hash only (serial absent): bound by hash with a warning", () => {
    const evaluation = evaluateHost(
      hostInput(fx, evidence(fx.healthy), {
        registry: { channelCertificateSerialNumber: null, channelCertificateHash: fx.healthy.thumbprint },
      }),
    );
    expect(evaluation.bound?.match).toBe("hash");
    const [finding] = findingsOf(evaluation, "registry-serial");
    expect(finding?.severity).toBe("warning");
    expect(finding?.message).toContain("found only by ChannelCertificateHash");
  });

  it("serial naming nothing while the hash names a store certificate: error, the values disagree", () => {
    const evaluation = evaluateHost(
      hostInput(fx, evidence(fx.healthy), {
        registry: { channelCertificateSerialNumber: "0102", channelCertificateHash: fx.healthy.thumbprint },
      }),
    );
    expect(evaluation.bound?.match).toBe("hash");
    const [finding] = findingsOf(evaluation, "registry-serial");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain("ChannelCertificateSerialNumber 0102 matches none");
    expect(finding?.message).toContain("the two registry values disagree");
  });

  it("a hash that agrees with the serial (any formatting) is silent", () => {
    const spaced = fx.healthy.thumbprint.toLowerCase().match(/../g)?.join(":") ?? "";
    const evaluation = evaluateHost(
      hostInput(fx, evidence(fx.healthy), {
        registry: { ...registry(fx.healthy), channelCertificateHash: spaced },
      }),
    );
    expect(evaluation.findings).toEqual([]);
  });
});

/**
 * Issue 13 ("Renewal verification"): "Renewed but not re-imported" only points at a store certificate that
 * would itself pass every error-level certificate rule; a newer one that would fail is named with the
 * reason it cannot be imported, never with "run MOMCertImport". Seed "Import the certificate into
 * Operations Manager" (MOMCertImport binds the certificate SCOM then loads, or refuses with 20049/20050/
 * 20052/20069/20077...) and "Optional: Configure certificate auto-enrollment and renewal" (NOTE: a renewed
 * certificate must be imported again).
 */
describe("renewals in the store judged by the certificate rules", () => {
  const RENEWAL = { serialHex: "5500AA", notBefore: daysFromNow(-2), notAfter: daysFromNow(400) };
  const IMPORT_ADVICE = "Run MOMCertImport.exe on the host and select";

  const renewalFindings = (renewal: ReturnType<typeof evidence>, overrides = {}) => {
    const input = hostInput(fx, evidence(fx.healthy), overrides);
    return findingsOf(
      evaluateHost({ ...input, certificates: [...input.certificates, renewal] }),
      "registry-serial",
    );
  };

  it("a renewal without its private key is named with that reason and the key's fix, not MOMCertImport", async () => {
    const renewal = await fx.leaf(RENEWAL);
    const findings = renewalFindings(evidence(renewal, { hasPrivateKey: false, keyProvider: null }));
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.severity).toBe("warning");
    expect(finding?.message).toBe(
      `renewal cannot be imported: a newer certificate for this host, serial 5500AA, expiring 2027-07-06, is in the store but cannot replace the bound certificate (serial ${fx.healthy.serialNumber}): [private-key] the certificate (serial 5500AA) has no private key on this host; SCOM needs it to encrypt outgoing data`,
    );
    expect(finding?.message).not.toContain("run MOMCertImport");
    expect(finding?.remediation).toContain("certutil -repairstore my 5500AA");
    expect(finding?.remediation).not.toContain(IMPORT_ADVICE);
  });

  it("a renewal in a KSP names every reason: the provider and the KeySpec", async () => {
    const renewal = await fx.leaf(RENEWAL);
    const [finding] = renewalFindings(
      evidence(renewal, {
        keyProvider: "Microsoft Software Key Storage Provider",
        keyProviderType: "KSP",
        keySpec: 0,
      }),
    );
    expect(finding?.message).toContain(
      '[csp-not-ksp] the private key is held by "Microsoft Software Key Storage Provider"',
    );
    expect(finding?.message).toContain("[keyspec] KeySpec is 0");
    expect(finding?.remediation).toContain('Provider Category "Legacy Cryptographic Service Provider"');
    expect(finding?.remediation).toContain("KeySpec = 1");
  });

  // One failing renewal per error-level certificate rule: each is caught by the rule itself.
  const failingRenewals: [RuleId, Partial<LeafOptions>, Partial<CandidateCertificateFacts>][] = [
    ["subject-fqdn", { subject: "CN=ms01", dnsNames: [] }, {}],
    ["eku-server-client", { ekus: ["1.3.6.1.5.5.7.3.2"] }, {}],
    ["key-usage", { keyUsage: 0x80 }, {}],
    ["sha256", { signatureHash: "SHA-1" }, {}],
    ["validity", { notBefore: daysFromNow(3) }, {}],
    ["private-key", {}, { machineKeySet: false }],
    ["keyspec", {}, { keySpec: 2 }],
    ["chain", {}, { hostChainValid: false, hostChainStatus: ["UntrustedRoot"] }],
  ];
  it.each(failingRenewals)(
    "%s: a renewal failing it is named with that rule, never as importable",
    async (rule, leaf, facts) => {
      const renewal = await fx.leaf({ ...RENEWAL, ...leaf });
      const [finding, ...rest] = renewalFindings(evidence(renewal, facts));
      expect(rest).toEqual([]);
      expect(finding?.message).toContain("renewal cannot be imported");
      expect(finding?.message).toContain(`[${rule}]`);
      expect(finding?.remediation).not.toContain(IMPORT_ADVICE);
    },
  );

  it("rsa-2048: a 1024-bit renewal cannot replace the bound certificate", async () => {
    const renewal = await fx.leaf({ ...RENEWAL, keys: fx.keys.rsa1024 });
    expect(renewalFindings(evidence(renewal))[0]?.message).toContain("[rsa-2048] the RSA key is 1024 bits");
  });

  it("chain against configured trust anchors: a renewal from another CA is not importable", async () => {
    const foreignRoot = await createCa({
      subject: "CN=Lab Root",
      keys: fx.keys.ca,
      notBefore: daysFromNow(-30),
      notAfter: daysFromNow(3000),
    });
    const der = await createLeaf(foreignRoot, { ...fx.healthyOptions, ...RENEWAL });
    const renewal = parseCertificate(der);
    const settings = { expiryWarningDays: 30, trustAnchors: [fx.rootAnchor] };
    const certificateDer = new Map([...fx.der, [renewal.sha256, der]]);
    const [finding] = renewalFindings(evidence(renewal), { settings, certificateDer });
    expect(finding?.message).toContain("[chain] the certificate does not chain to a configured trust anchor");
  });

  it("an importable renewal is advised even when a newer one cannot be imported", async () => {
    const [good, newerKsp] = await Promise.all([
      fx.leaf({ ...RENEWAL, serialHex: "61" }),
      fx.leaf({ ...RENEWAL, serialHex: "62", notAfter: daysFromNow(700) }),
    ]);
    const input = hostInput(fx, evidence(fx.healthy));
    const findings = findingsOf(
      evaluateHost({
        ...input,
        certificates: [
          ...input.certificates,
          evidence(newerKsp, {
            keyProvider: "Microsoft Software Key Storage Provider",
            keyProviderType: "KSP",
          }),
          evidence(good),
        ],
      }),
      "registry-serial",
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining(
        "renewed but not re-imported: a newer valid certificate for this host, serial 61,",
      ),
    ]);
    expect(findings[0]?.remediation).toContain(`${IMPORT_ADVICE} the certificate with serial 61`);
  });

  it("nothing bound: a certificate that cannot be imported is named with its reason instead of MOMCertImport", async () => {
    const keyless = evidence(fx.healthy, { hasPrivateKey: false });
    const [finding] = findingsOf(
      evaluateHost(hostInput(fx, keyless, { registry: { channelCertificateSerialNumber: null } })),
      "registry-serial",
    );
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(
      `a certificate for this host (serial ${fx.healthy.serialNumber}, expiring 2027-01-01) is in the store but cannot be imported: [private-key]`,
    );
    expect(finding?.message).not.toContain("run MOMCertImport");
    expect(finding?.remediation).toContain(`certutil -repairstore my ${fx.healthy.serialNumber}`);
  });
});

/**
 * Issue 13 ("Certificate rules"): self-signed certificates from the "Operations Manager" store (where SCOM's
 * HealthService keeps its own) are never candidates: not for binding advice, not as renewals.
 */
describe("SCOM's self-signed certificate in the Operations Manager store", () => {
  const selfSigned = () => ({
    ...fx.healthy,
    sha256: "5e".repeat(32),
    thumbprint: "5E".repeat(20),
    serialNumber: "77",
    issuer: fx.healthy.subject,
    notAfter: daysFromNow(3650).toISOString(),
  });
  const OM_STORE = { store: "LocalMachine\\Operations Manager" };

  it("is never a renewal of the bound certificate", () => {
    const input = hostInput(fx, evidence(fx.healthy));
    const evaluation = evaluateHost({
      ...input,
      certificates: [...input.certificates, evidence(selfSigned(), OM_STORE)],
    });
    expect(findingsOf(evaluation, "registry-serial")).toEqual([]);
    // The same certificate in LocalMachine\My is a candidate (and its self-signed chain is judged).
    const inMy = evidence(selfSigned(), { hostChainValid: false, hostChainStatus: ["UntrustedRoot"] });
    const judged = evaluateHost({ ...input, certificates: [...input.certificates, inMy] });
    expect(findingsOf(judged, "registry-serial")[0]?.message).toContain("serial 77");
  });

  it("is never offered for binding when nothing is bound", () => {
    const evaluation = evaluateHost(
      hostInput(fx, evidence(selfSigned(), OM_STORE), { registry: { channelCertificateSerialNumber: null } }),
    );
    const [finding] = findingsOf(evaluation, "registry-serial");
    expect(finding?.message).not.toContain("serial 77");
    expect(finding?.message).not.toContain("in the store");
  });

  it("loses to a channel certificate sharing its serial when choosing the bound one", () => {
    const scom = evidence({ ...selfSigned(), serialNumber: fx.healthy.serialNumber }, OM_STORE);
    const bound = findBoundCertificate(registry(fx.healthy), [scom, evidence(fx.healthy)]);
    expect(bound?.evidence.certificate.sha256).toBe(fx.healthy.sha256);
  });
});
