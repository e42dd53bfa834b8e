import { createHash, webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CertificateParseError, parseCertificate } from "../src/index";
import {
  createCa,
  createLeaf,
  generateEcKeys,
  generateRsaKeys,
  type Issuer,
  type KeyPair,
  type LeafOptions,
  withMd5SignatureOid,
} from "./support/certificates";

let ca: Issuer;
let rsa2048: KeyPair;
let rsa1024: KeyPair;
let ec: KeyPair;

const validity = { notBefore: new Date("2026-01-01T00:00:00Z"), notAfter: new Date("2027-01-01T00:00:00Z") };
const leaf = (options: Partial<LeafOptions> = {}) =>
  createLeaf(ca, { keys: rsa2048, ...validity, ...options });

beforeAll(async () => {
  [rsa2048, rsa1024, ec] = await Promise.all([
    generateRsaKeys(2048),
    generateRsaKeys(1024),
    generateEcKeys(),
  ]);
  ca = await createCa({
    subject: "CN=Fabrikam Issuing CA, O=Fabrikam",
    keys: rsa2048,
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2034-01-01T00:00:00Z"),
  });
});

describe("parseCertificate: identity and hashes", () => {
  it("fills sha256 (lower-case) and thumbprint (upper-case SHA-1) from the DER", async () => {
    const der = await leaf({ subject: "CN=gw01.fabrikam.com" });
    const parsed = parseCertificate(der);
    expect(parsed.sha256).toBe(createHash("sha256").update(der).digest("hex"));
    expect(parsed.thumbprint).toBe(createHash("sha1").update(der).digest("hex").toUpperCase());
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it("reads a DER held in a Node Buffer, also one that starts inside a larger buffer, exactly as plain bytes", async () => {
    const der = await leaf({ subject: "CN=gw02.fabrikam.com", dnsNames: ["gw02.fabrikam.com"] });
    // Ingest's DER comes from base64 decoding: a Buffer, often a view into Node's shared pool.
    const pooled = Buffer.concat([
      Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]),
      Buffer.from(der),
      Buffer.from([0xff]),
    ]);
    const view = pooled.subarray(5, 5 + der.length);
    expect(view.byteOffset).toBeGreaterThanOrEqual(5);
    expect(parseCertificate(view)).toEqual(parseCertificate(der));
    expect(parseCertificate(Buffer.from(der))).toEqual(parseCertificate(der));
  });

  it("reads subject, CN, issuer, dates and SAN DNS names in order", async () => {
    const parsed = parseCertificate(
      await leaf({
        subject: "CN=gw01.fabrikam.com, OU=Ops, O=Fabrikam",
        dnsNames: ["gw01.fabrikam.com", "gw01", "alias.fabrikam.com"],
      }),
    );
    expect(parsed.subject).toBe("CN=gw01.fabrikam.com, OU=Ops, O=Fabrikam");
    expect(parsed.subjectCommonName).toBe("gw01.fabrikam.com");
    expect(parsed.issuer).toBe("CN=Fabrikam Issuing CA, O=Fabrikam");
    expect(parsed.dnsNames).toEqual(["gw01.fabrikam.com", "gw01", "alias.fabrikam.com"]);
    expect(parsed.notBefore).toBe("2026-01-01T00:00:00.000Z");
    expect(parsed.notAfter).toBe("2027-01-01T00:00:00.000Z");
    expect(parsed.isCa).toBe(false);
  });

  it("an empty subject has no CN; no SAN means no DNS names", async () => {
    const parsed = parseCertificate(await leaf({ subject: "" }));
    expect(parsed.subject).toBe("");
    expect(parsed.subjectCommonName).toBeNull();
    expect(parsed.dnsNames).toEqual([]);
  });

  it("marks CA certificates", () => {
    expect(parseCertificate(ca.der).isCa).toBe(true);
  });

  it("returns plain JSON data (arrays are real arrays, round-trips through JSON)", async () => {
    const parsed = parseCertificate(await leaf({ subject: "CN=x", dnsNames: ["x"] }));
    expect(Object.getPrototypeOf(parsed.extendedKeyUsages)).toBe(Array.prototype);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
  });
});

describe("parseCertificate: serial number exactly as encoded", () => {
  it("keeps a 19-octet AD CS serial", async () => {
    const parsed = parseCertificate(await leaf({ serialHex: "1F00000008C694DAC94BCFDC4A000000000008" }));
    expect(parsed.serialNumber).toBe("1F00000008C694DAC94BCFDC4A000000000008");
  });

  it("keeps the 00 sign byte when the top bit is set", async () => {
    const parsed = parseCertificate(await leaf({ serialHex: "80AA" }));
    expect(parsed.serialNumber).toBe("0080AA");
  });

  it("keeps a full 20-octet serial", async () => {
    const serial = "7F0102030405060708090A0B0C0D0E0F10111213";
    expect(parseCertificate(await leaf({ serialHex: serial })).serialNumber).toBe(serial);
  });

  it("keeps a 20-octet serial with the top bit set as 21 octets", async () => {
    const serial = "FF0102030405060708090A0B0C0D0E0F10111213";
    expect(parseCertificate(await leaf({ serialHex: serial })).serialNumber).toBe(`00${serial}`);
  });
});

describe("parseCertificate: keys and signatures", () => {
  it("RSA 2048 and RSA 1024 by exact modulus bits", async () => {
    expect(parseCertificate(await leaf()).publicKeyAlgorithm).toBe("RSA");
    expect(parseCertificate(await leaf()).publicKeySize).toBe(2048);
    expect(parseCertificate(await leaf({ keys: rsa1024 })).publicKeySize).toBe(1024);
  });

  it("EC P-256", async () => {
    const parsed = parseCertificate(await leaf({ keys: ec }));
    expect(parsed.publicKeyAlgorithm).toBe("EC");
    expect(parsed.publicKeySize).toBe(256);
  });

  it.each([
    ["SHA-1", "sha1WithRSAEncryption"],
    ["SHA-256", "sha256WithRSAEncryption"],
    ["SHA-384", "sha384WithRSAEncryption"],
    ["SHA-512", "sha512WithRSAEncryption"],
  ] as const)("signature hash %s is named %s", async (hash, name) => {
    const parsed = parseCertificate(await leaf({ signatureHash: hash }));
    expect(parsed.signatureHash).toBe(hash);
    expect(parsed.signatureAlgorithm).toBe(name);
  });

  it("names MD5 signatures even though nothing can verify them", async () => {
    const parsed = parseCertificate(withMd5SignatureOid(await leaf()));
    expect(parsed.signatureAlgorithm).toBe("md5WithRSAEncryption");
    expect(parsed.signatureHash).toBe("MD5");
  });

  it("names ECDSA signatures by an EC CA", async () => {
    const ecKeys = await generateEcKeys("P-384");
    const ecCa = await x509EcCa(ecKeys);
    const parsed = parseCertificate(ecCa);
    expect(parsed.signatureAlgorithm).toBe("ecdsa-with-SHA384");
    expect(parsed.signatureHash).toBe("SHA-384");
    expect(parsed.publicKeySize).toBe(384);
  });
});

async function x509EcCa(keys: KeyPair): Promise<Uint8Array> {
  const x509 = await import("@peculiar/x509");
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=EC Root",
    keys,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-384" } as NonNullable<
      Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]["signingAlgorithm"]
    >,
    ...validity,
  });
  return new Uint8Array(cert.rawData);
}

describe("parseCertificate: refuses what is not one DER certificate", () => {
  const reasonOf = (input: Uint8Array): string => {
    try {
      parseCertificate(input);
    } catch (error) {
      expect(error).toBeInstanceOf(CertificateParseError);
      return (error as CertificateParseError).reason;
    }
    throw new Error("parseCertificate accepted the input");
  };

  it("empty input", () => {
    expect(reasonOf(new Uint8Array())).toBe("empty");
  });

  it("random bytes and a truncated certificate", async () => {
    expect(reasonOf(new Uint8Array([1, 2, 3, 4]))).toBe("malformed");
    const der = await leaf();
    expect(reasonOf(der.subarray(0, der.length - 10))).toBe("malformed");
  });

  it("trailing bytes after the certificate", async () => {
    const der = await leaf();
    expect(reasonOf(new Uint8Array([...der, 0]))).toBe("malformed");
  });

  it("a DER SEQUENCE that is not a certificate", () => {
    expect(reasonOf(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]))).toBe("malformed");
  });

  it("PEM text instead of DER", () => {
    const pem = new TextEncoder().encode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    expect(reasonOf(pem)).toBe("pem");
  });

  it("a private key", async () => {
    const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", rsa2048.privateKey));
    expect(reasonOf(pkcs8)).toBe("private-key");
    expect(() => parseCertificate(pkcs8)).toThrow(/private key material \(pkcs8\)/);
  });

  it("says what was wrong in the message", () => {
    expect(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]))).toThrow(
      /not an X\.509 certificate/,
    );
  });
});
