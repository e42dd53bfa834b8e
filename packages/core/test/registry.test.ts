import { beforeAll, describe, expect, it } from "vitest";
import { certificateSerialToRegistryHex, evaluateHost, findBoundCertificate } from "../src/index";
import type { ParsedCertificate } from "../src/types";
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

  it("no renewal warning for newer certificates that are not usable replacements", async () => {
    const [otherHost, noKey, serverOnly, notYetValid, older] = await Promise.all([
      fx.leaf({ serialHex: "31", subject: "CN=ms02.contoso.com", dnsNames: [], notAfter: daysFromNow(500) }),
      fx.leaf({ serialHex: "32", notAfter: daysFromNow(500) }),
      fx.leaf({ serialHex: "33", ekus: ["1.3.6.1.5.5.7.3.1"], notAfter: daysFromNow(500) }),
      fx.leaf({ serialHex: "34", notBefore: daysFromNow(1), notAfter: daysFromNow(500) }),
      fx.leaf({ serialHex: "35", notAfter: daysFromNow(100) }),
    ]);
    const input = hostInput(fx, evidence(fx.healthy));
    const evaluation = evaluateHost({
      ...input,
      certificates: [
        ...input.certificates,
        evidence(otherHost),
        evidence(noKey, { hasPrivateKey: false }),
        evidence(serverOnly),
        evidence(notYetValid),
        evidence(older),
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
