import { beforeAll, describe, expect, it } from "vitest";
import { parseCertificate } from "../src/index";
import {
  createCa,
  createLeaf,
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  generateRsaKeys,
  type Issuer,
  type KeyPair,
  KU,
  type LeafOptions,
} from "./support/certificates";

let ca: Issuer;
let keys: KeyPair;

const validity = { notBefore: new Date("2026-01-01T00:00:00Z"), notAfter: new Date("2027-01-01T00:00:00Z") };
const leaf = (options: Partial<LeafOptions> = {}) => createLeaf(ca, { keys, ...validity, ...options });

beforeAll(async () => {
  keys = await generateRsaKeys(2048);
  ca = await createCa({
    subject: "CN=Northwind Issuing CA",
    keys,
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2034-01-01T00:00:00Z"),
  });
});

describe("parseCertificate: key usage as Windows shows it", () => {
  it("digitalSignature | keyEncipherment is 0xA0", async () => {
    const parsed = parseCertificate(await leaf({ keyUsage: KU.digitalSignature | KU.keyEncipherment }));
    expect(parsed.keyUsage).toBe(0xa0);
  });

  it("the .inf's 0xf0 (adds nonRepudiation and dataEncipherment)", async () => {
    const usage = KU.digitalSignature | KU.nonRepudiation | KU.keyEncipherment | KU.dataEncipherment;
    expect(parseCertificate(await leaf({ keyUsage: usage })).keyUsage).toBe(0xf0);
  });

  it.each([
    ["keyAgreement", KU.keyAgreement, 0x08],
    ["keyCertSign", KU.keyCertSign, 0x04],
    ["cRLSign", KU.cRLSign, 0x02],
    ["encipherOnly", KU.encipherOnly, 0x01],
    ["decipherOnly (the second octet's first bit)", KU.decipherOnly, 0x8000],
    ["decipherOnly | digitalSignature", KU.decipherOnly | KU.digitalSignature, 0x8080],
  ])("maps %s to Windows' 0x%s", async (_name, flags, windows) => {
    expect(parseCertificate(await leaf({ keyUsage: flags })).keyUsage).toBe(windows);
  });

  it("a CA's keyCertSign | cRLSign is 0x06", () => {
    expect(parseCertificate(ca.der).keyUsage).toBe(0x06);
  });

  it("absent extension is null", async () => {
    expect(parseCertificate(await leaf({ keyUsage: null })).keyUsage).toBeNull();
  });
});

describe("parseCertificate: EKUs", () => {
  it("lists EKU OIDs in order", async () => {
    const parsed = parseCertificate(await leaf({ ekus: [EKU_CLIENT_AUTH, EKU_SERVER_AUTH] }));
    expect(parsed.extendedKeyUsages).toEqual([EKU_CLIENT_AUTH, EKU_SERVER_AUTH]);
  });

  it("absent extension is null, not an empty list", async () => {
    expect(parseCertificate(await leaf({ ekus: null })).extendedKeyUsages).toBeNull();
  });
});

describe("parseCertificate: Enterprise CA template information", () => {
  it("reads the v2 template OID and versions", async () => {
    const parsed = parseCertificate(
      await leaf({ templateV2: { oid: "1.3.6.1.4.1.311.21.8.99.1", major: 100, minor: 5 } }),
    );
    expect(parsed.template).toEqual({
      oid: "1.3.6.1.4.1.311.21.8.99.1",
      name: null,
      majorVersion: 100,
      minorVersion: 5,
    });
  });

  it("reads a v2 template without minor version", async () => {
    const parsed = parseCertificate(
      await leaf({ templateV2: { oid: "1.3.6.1.4.1.311.21.8.7", major: 4294967295 } }),
    );
    expect(parsed.template).toEqual({
      oid: "1.3.6.1.4.1.311.21.8.7",
      name: null,
      majorVersion: 4294967295,
      minorVersion: null,
    });
  });

  it("reads the v1 template name (BMPString)", async () => {
    const parsed = parseCertificate(await leaf({ templateName: "Machine" }));
    expect(parsed.template).toEqual({ oid: null, name: "Machine", majorVersion: null, minorVersion: null });
  });

  it("combines both", async () => {
    const parsed = parseCertificate(
      await leaf({
        templateV2: { oid: "1.3.6.1.4.1.311.21.8.5", major: 1, minor: 0 },
        templateName: "OperationsManager",
      }),
    );
    expect(parsed.template).toEqual({
      oid: "1.3.6.1.4.1.311.21.8.5",
      name: "OperationsManager",
      majorVersion: 1,
      minorVersion: 0,
    });
  });

  it("null without either extension", async () => {
    expect(parseCertificate(await leaf()).template).toBeNull();
  });
});
