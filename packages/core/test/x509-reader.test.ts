// The reference reader below is @peculiar/x509, which needs the Reflect metadata API loaded first.
import "reflect-metadata";
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsagesExtension,
  Name,
  SubjectAlternativeNameExtension,
  X509Certificate,
} from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { readWhole } from "../src/der";
import { CertificateParseError, parseCertificate } from "../src/index";
import { commonNamesInPrintedDn } from "../src/names";
import { readDistinguishedName } from "../src/x509-name";
import { createCa, createLeaf, generateRsaKeys, type Issuer, type KeyPair, KU } from "./support/certificates";

/**
 * core reads certificates with its own DER reader; before, it used @peculiar/x509, and subjects and
 * issuers stored then must compare equal to those read now. These tests feed both readers the same
 * random input and require the same answer.
 */

/** A small seeded PRNG (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { int, pick };
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}

const tlv = (tag: number, content: number[]): number[] => [tag, ...encodeLength(content.length), ...content];

function encodeOid(oid: string): number[] {
  const [first = 0, second = 0, ...rest] = oid.split(".").map(Number);
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const septets = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      septets.unshift((value & 0x7f) | 0x80);
    out.push(...septets);
  }
  return tlv(0x06, out);
}

const ATTRIBUTE_TYPES = [
  "2.5.4.3",
  "2.5.4.3",
  "2.5.4.10",
  "2.5.4.11",
  "2.5.4.6",
  "2.5.4.7",
  "2.5.4.8",
  "0.9.2342.19200300.100.1.25",
  "1.2.840.113549.1.9.1",
  "2.5.4.42",
  "2.5.4.43",
  "2.5.4.4",
  "2.5.4.12",
  "2.5.4.5",
  "1.3.6.1.4.1.311.60.2.1.3",
];
/** Characters a DN printer must escape, spaces and hashes at either end, controls and non-ASCII text. */
const CHARACTERS = [
  ..."abcXYZ019 .-_",
  ",",
  "+",
  '"',
  "\\",
  "<",
  ">",
  ";",
  "#",
  "=",
  "\r",
  "\n",
  "\t",
  "é",
  "ß",
  "中",
  "😀",
];

function randomText(rng: ReturnType<typeof random>): string {
  let text = "";
  const length = rng.int(12);
  for (let i = 0; i < length; i++) text += rng.pick(CHARACTERS);
  return text;
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];
const latin1 = (text: string) => [...text].map((c) => c.charCodeAt(0) & 0xff);
const utf16be = (text: string) =>
  [...text].flatMap((_, i) => [text.charCodeAt(i) >> 8, text.charCodeAt(i) & 0xff]);
const ucs4be = (text: string) =>
  [...text].flatMap((c) => {
    const p = c.codePointAt(0) ?? 0;
    return [0, p >> 16, (p >> 8) & 0xff, p & 0xff];
  });

/** One attribute value of a random ASN.1 type: the six string types, invalid UTF-8, and non-strings. */
function randomValue(rng: ReturnType<typeof random>): number[] {
  const text = randomText(rng);
  switch (rng.int(11)) {
    case 0:
      return tlv(0x0c, utf8(text));
    case 1:
      return tlv(0x13, latin1(text));
    case 2:
      return tlv(0x16, latin1(text));
    case 3:
      return tlv(0x14, latin1(text));
    case 4:
      return tlv(0x1e, utf16be(text));
    case 5:
      return tlv(0x1c, ucs4be(text));
    case 6:
      return tlv(0x0c, [0x61, 0xc3, 0x28, 0xff]); // not UTF-8
    case 7:
      return tlv(0x12, latin1("0123")); // NumericString
    case 8:
      return tlv(0x05, []); // NULL
    case 9:
      return tlv(0x30, tlv(0x02, [rng.int(128)])); // a SEQUENCE
    default:
      return tlv(0x0c, utf8(text));
  }
}

function randomName(rng: ReturnType<typeof random>): Uint8Array {
  const rdns: number[] = [];
  const count = rng.int(6);
  for (let i = 0; i < count; i++) {
    const attributes: number[] = [];
    const size = 1 + (rng.int(5) === 0 ? rng.int(3) : 0);
    for (let j = 0; j < size; j++)
      attributes.push(...tlv(0x30, [...encodeOid(rng.pick(ATTRIBUTE_TYPES)), ...randomValue(rng)]));
    rdns.push(...tlv(0x31, attributes));
  }
  return new Uint8Array(tlv(0x30, rdns));
}

describe("readDistinguishedName prints names as @peculiar/x509 does", () => {
  it("agrees on 3,000 random names (string types, escapes, multi-valued RDNs, hex values)", () => {
    const rng = random(20261129);
    for (let i = 0; i < 3_000; i++) {
      const der = randomName(rng);
      const reference = new Name(der);
      const ours = readDistinguishedName(readWhole(der), "subject");
      const context = `name #${i}: ${Buffer.from(der).toString("hex")}`;
      expect(ours.text, context).toBe(reference.toString());
      expect(ours.commonName, context).toBe(reference.getField("CN")[0] ?? null);
    }
  });

  it("prints the names SCOM certificates carry", () => {
    const der = new Name("CN=ms01.contoso.com, OU=Ops+OU=SCOM, O=Contoso\\, Ltd, C=US").toArrayBuffer();
    const name = readDistinguishedName(readWhole(new Uint8Array(der)), "subject");
    expect(name).toEqual({
      text: "CN=ms01.contoso.com, OU=Ops+OU=SCOM, O=Contoso\\, Ltd, C=US",
      commonName: "ms01.contoso.com",
      commonNames: ["ms01.contoso.com"],
    });
  });

  // Issue 13: a subject with several CNs is a subject-fqdn finding naming every one, so all are read.
  it("reads every CN of a subject, in order, unescaped", () => {
    const der = new Name("CN=gw07, O=Contoso, CN=gw07.dmz.contoso.com+CN=a\\, b").toArrayBuffer();
    const name = readDistinguishedName(readWhole(new Uint8Array(der)), "subject");
    expect(name.commonName).toBe("gw07");
    expect(name.commonNames).toEqual(["gw07", "gw07.dmz.contoso.com", "a, b"]);
  });
});

describe("parseCertificate reads what @peculiar/x509 reads", () => {
  let ca: Issuer;
  let keys: KeyPair;
  beforeAll(async () => {
    keys = await generateRsaKeys(2048);
    ca = await createCa({
      subject: "CN=Fabrikam Issuing CA, O=Fabrikam",
      keys,
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2060-01-01T00:00:00Z"),
    });
  });

  /** The fields the old @peculiar/x509-based reader filled, read the way it read them. */
  function referenceFields(der: Uint8Array) {
    const cert = new X509Certificate(der);
    const san = cert.getExtension(SubjectAlternativeNameExtension);
    const eku = cert.getExtension(ExtendedKeyUsageExtension);
    const basic = cert.getExtension(BasicConstraintsExtension);
    return {
      subject: cert.subject,
      subjectCommonName: cert.subjectName.getField("CN")[0] ?? null,
      issuer: cert.issuer,
      dnsNames: san ? san.names.toJSON().flatMap((n) => (n.type === "dns" ? [n.value] : [])) : [],
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      extendedKeyUsages: eku ? Array.from(eku.usages, String) : null,
      keyUsagePresent: cert.getExtension(KeyUsagesExtension) !== null,
      isCa: basic?.ca ?? false,
    };
  }

  it("agrees on 60 random certificates (names, SANs, EKUs, key usage, CA flag, UTCTime and GeneralizedTime)", async () => {
    const rng = random(42);
    const subjects = [
      "CN=ms01.contoso.com",
      "CN=gw\\, 1+O=Fabrikam, C=DE",
      "O=No CN Ltd",
      "",
      "CN=\\ padded\\ , OU=\\#hash",
      "CN=Zoë Müller, E=ops@contoso.com",
      "CN=gw07, CN=gw07.dmz.contoso.com, O=Contoso",
      "CN=a\\+b, CN=\\#1\\, 2\\ ",
    ];
    const ekus = [
      null,
      [],
      ["1.3.6.1.5.5.7.3.1"],
      ["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1", "1.3.6.1.4.1.311.10.3.4"],
    ];
    for (let i = 0; i < 60; i++) {
      const start = Date.UTC(
        1995 + rng.int(80),
        rng.int(12),
        1 + rng.int(28),
        rng.int(24),
        rng.int(60),
        rng.int(60),
      );
      const der = await createLeaf(ca, {
        keys,
        subject: rng.pick(subjects),
        dnsNames: Array.from({ length: rng.int(3) }, (_, n) => `host${n}-${rng.int(1000)}.contoso.com`),
        ekus: rng.pick(ekus),
        keyUsage: rng.int(4) === 0 ? null : rng.int(512),
        isCa: rng.int(2) === 0,
        notBefore: new Date(start),
        notAfter: new Date(start + rng.int(20 * 365) * 86_400_000),
      });
      const { keyUsagePresent, ...expected } = referenceFields(der);
      const parsed = parseCertificate(der);
      expect(parsed, `certificate #${i}`).toMatchObject(expected);
      expect(parsed.keyUsage === null, `certificate #${i} keyUsage`).toBe(!keyUsagePresent);
      // Every CN, and the fallback for parses stored without the list reads the same CNs from the text.
      const cns = new X509Certificate(der).subjectName.getField("CN");
      expect(parsed.subjectCommonNames, `certificate #${i} CNs`).toEqual(cns);
      expect(commonNamesInPrintedDn(parsed.subject), `certificate #${i} printed CNs`).toEqual(cns);
    }
  });

  it("refuses a certificate whose notAfter is not a calendar time, naming the field", async () => {
    const der = await createLeaf(ca, {
      keys,
      notBefore: new Date("2026-01-01T00:00:00Z"),
      notAfter: new Date("2027-01-01T00:00:00Z"),
    });
    const patched = Buffer.from(der);
    const at = patched.indexOf("270101000000Z", 0, "latin1");
    expect(at).toBeGreaterThan(0);
    patched.write("271301000000Z", at, "latin1");
    expect(() => parseCertificate(patched)).toThrow(CertificateParseError);
    expect(() => parseCertificate(patched)).toThrow(/notAfter: "271301000000Z" is not a calendar time/);
  });

  it("reads the decipherOnly bit and the other eight as Windows shows them", async () => {
    const der = await createLeaf(ca, {
      keys,
      notBefore: new Date("2026-01-01T00:00:00Z"),
      notAfter: new Date("2027-01-01T00:00:00Z"),
      keyUsage: KU.decipherOnly | KU.keyEncipherment | KU.digitalSignature,
    });
    expect(parseCertificate(der).keyUsage).toBe(0x80a0);
  });
});
