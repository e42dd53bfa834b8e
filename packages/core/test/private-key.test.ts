import { createPrivateKey, KeyObject, webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { detectPrivateKeyMaterial } from "../src/index";
import { createCa, generateEcKeys, generateRsaKeys, type Issuer, type KeyPair } from "./support/certificates";

let rsa: KeyPair;
let ec: KeyPair;
let ca: Issuer;

beforeAll(async () => {
  [rsa, ec] = await Promise.all([generateRsaKeys(2048), generateEcKeys()]);
  ca = await createCa({
    subject: "CN=Key Test CA",
    keys: rsa,
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2030-01-01T00:00:00Z"),
  });
});

const toPem = (label: string, der: Uint8Array): string => {
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
};
const keyObject = (key: webcrypto.CryptoKey): KeyObject => KeyObject.from(key);

describe("detectPrivateKeyMaterial: PEM", () => {
  it.each([
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
  ])("recognises -----BEGIN %s-----", (label) => {
    expect(detectPrivateKeyMaterial(toPem(label, new Uint8Array([1, 2, 3])))).toBe("pem-private-key");
  });

  it("recognises a private key block after a certificate block (a combined .pem)", () => {
    const combined = toPem("CERTIFICATE", ca.der) + toPem("PRIVATE KEY", new Uint8Array([1, 2, 3]));
    expect(detectPrivateKeyMaterial(combined)).toBe("pem-private-key");
  });

  it("recognises PEM given as bytes and as base64 of the PEM text", () => {
    const pem = toPem("RSA PRIVATE KEY", new Uint8Array([9, 9, 9]));
    expect(detectPrivateKeyMaterial(new TextEncoder().encode(pem))).toBe("pem-private-key");
    expect(detectPrivateKeyMaterial(Buffer.from(pem).toString("base64"))).toBe("pem-private-key");
    expect(detectPrivateKeyMaterial(new TextEncoder().encode(Buffer.from(pem).toString("base64")))).toBe(
      "pem-private-key",
    );
  });

  it("a PEM certificate alone is not private key material", () => {
    expect(detectPrivateKeyMaterial(toPem("CERTIFICATE", ca.der))).toBeNull();
  });
});

describe("detectPrivateKeyMaterial: DER keys", () => {
  it("PKCS#8 RSA and EC (also as base64)", async () => {
    const rsaPkcs8 = new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", rsa.privateKey));
    const ecPkcs8 = new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", ec.privateKey));
    expect(detectPrivateKeyMaterial(rsaPkcs8)).toBe("pkcs8");
    expect(detectPrivateKeyMaterial(ecPkcs8)).toBe("pkcs8");
    expect(detectPrivateKeyMaterial(Buffer.from(rsaPkcs8).toString("base64"))).toBe("pkcs8");
  });

  it("PKCS#1 RSAPrivateKey and SEC1 ECPrivateKey", () => {
    const pkcs1 = keyObject(rsa.privateKey).export({ type: "pkcs1", format: "der" });
    const sec1 = keyObject(ec.privateKey).export({ type: "sec1", format: "der" });
    expect(detectPrivateKeyMaterial(new Uint8Array(pkcs1))).toBe("pkcs8");
    expect(detectPrivateKeyMaterial(new Uint8Array(sec1))).toBe("pkcs8");
  });

  it("encrypted PKCS#8 (EncryptedPrivateKeyInfo)", () => {
    const pem = keyObject(rsa.privateKey).export({
      type: "pkcs8",
      format: "der",
      cipher: "aes-256-cbc",
      passphrase: "secret",
    });
    expect(detectPrivateKeyMaterial(new Uint8Array(pem))).toBe("pkcs8");
    expect(createPrivateKey({ key: pem, format: "der", type: "pkcs8", passphrase: "secret" }).type).toBe(
      "private",
    );
  });
});

describe("detectPrivateKeyMaterial: PKCS#12", () => {
  // PFX ::= SEQUENCE { INTEGER 3, ContentInfo { OID pkcs7-data, [0] { OCTET STRING ... } }, MacData }
  const dataOid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
  const contentInfo = [0x30, 0x12, ...dataOid, 0xa0, 0x05, 0x04, 0x03, 0x01, 0x02, 0x03];
  const mac = [0x30, 0x03, 0x02, 0x01, 0x01];
  const body = [0x02, 0x01, 0x03, ...contentInfo, ...mac];

  it("recognises a DER PFX", () => {
    expect(detectPrivateKeyMaterial(new Uint8Array([0x30, body.length, ...body]))).toBe("pkcs12");
  });

  it("recognises a BER PFX with indefinite lengths (as older tools write)", () => {
    const ber = [
      0x30,
      0x80,
      0x02,
      0x01,
      0x03,
      0x30,
      0x80,
      ...dataOid,
      0xa0,
      0x80,
      0x04,
      0x01,
      0x00,
      0,
      0,
      0,
      0,
      0,
      0,
    ];
    expect(detectPrivateKeyMaterial(new Uint8Array(ber))).toBe("pkcs12");
  });

  it("recognises a long-form length PFX given as base64", () => {
    const padding = new Array(300).fill(0x05);
    const long = [0x02, 0x01, 0x03, ...contentInfo, 0x04, 0x82, 0x01, 0x2c, ...padding];
    const der = new Uint8Array([0x30, 0x82, (long.length >> 8) & 0xff, long.length & 0xff, ...long]);
    expect(detectPrivateKeyMaterial(Buffer.from(der).toString("base64"))).toBe("pkcs12");
  });

  it("version other than 3 is not a PFX", () => {
    const v2 = [0x02, 0x01, 0x02, ...contentInfo, ...mac];
    expect(detectPrivateKeyMaterial(new Uint8Array([0x30, v2.length, ...v2]))).toBeNull();
  });
});

describe("detectPrivateKeyMaterial: everything else is null", () => {
  it("a certificate (DER and base64 of DER)", () => {
    expect(detectPrivateKeyMaterial(ca.der)).toBeNull();
    expect(detectPrivateKeyMaterial(Buffer.from(ca.der).toString("base64"))).toBeNull();
  });

  it("empty input, plain text and random bytes", () => {
    expect(detectPrivateKeyMaterial(new Uint8Array())).toBeNull();
    expect(detectPrivateKeyMaterial("")).toBeNull();
    expect(detectPrivateKeyMaterial("hello world, this is not a key")).toBeNull();
    expect(detectPrivateKeyMaterial(new Uint8Array([0xff, 0x00, 0x30, 0x82]))).toBeNull();
  });

  it("ordinary report strings: prose, FQDNs, hex serials and thumbprints", () => {
    const prose = "The OpsMgr Connector has loaded the specified authentication certificate successfully";
    expect(detectPrivateKeyMaterial(prose)).toBeNull();
    expect(detectPrivateKeyMaterial("ms01.contoso.com")).toBeNull();
    expect(detectPrivateKeyMaterial("08000000004ADCCF4BC9DA94C6080000001F")).toBeNull();
    expect(detectPrivateKeyMaterial("1A34C289C0E8ED76614C4FC890F683CFEAA6B7D3")).toBeNull();
  });

  it("base64 wrapped in lines (as in a .pem body) is still decoded", async () => {
    const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", rsa.privateKey));
    const wrapped = Buffer.from(pkcs8)
      .toString("base64")
      .replace(/(.{64})/g, "$1\r\n");
    expect(detectPrivateKeyMaterial(wrapped)).toBe("pkcs8");
  });

  it("a public key (SubjectPublicKeyInfo)", async () => {
    const spki = new Uint8Array(await webcrypto.subtle.exportKey("spki", rsa.publicKey));
    expect(detectPrivateKeyMaterial(spki)).toBeNull();
  });
});
