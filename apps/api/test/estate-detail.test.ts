import { createHash } from "node:crypto";
import type { CertificateDetail, HostDetail } from "@certfleet/contracts";
import { certificateSerialToRegistryHex } from "@certfleet/core";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import authPlugin from "../src/plugins/auth";
import contextPlugin from "../src/plugins/context";
import { createTestApp, type TestApp } from "./support/app";
import {
  buildReport,
  createPki,
  type IssuedCertificate,
  issueCertificate,
  type Pki,
} from "./support/reports";

let t: TestApp;
let pki: Pki;
let first: IssuedCertificate;
let second: IssuedCertificate;
let renewed: IssuedCertificate;
const FQDN = "ms03.contoso.com";

const post = (payload: object) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload,
  });

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  first = await issueCertificate(pki, { fqdn: FQDN, serialHex: "1f000000aa01" });
  second = await issueCertificate(pki, { fqdn: FQDN, serialHex: "1f000000aa02" });
  renewed = await issueCertificate(pki, {
    fqdn: FQDN,
    serialHex: "9f000000aa03", // top bit set: DER keeps a 00 sign byte
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 730 * 86_400_000),
  });
  // Two re-imports, then a renewal sitting in the store but not imported.
  await post(buildReport(FQDN, [first], { collectedAt: "2026-01-01T00:00:00.000Z" }));
  await post(buildReport(FQDN, [second, first], { bound: second, collectedAt: "2026-05-01T00:00:00.000Z" }));
  await post(buildReport(FQDN, [renewed, second], { bound: second, collectedAt: new Date().toISOString() }));
});
afterAll(async () => t?.close());

describe("GET /api/v1/hosts/{fqdn}", () => {
  it("shows status, findings, the registry serial both ways, store certificates, events and serial history", async () => {
    const response = await t.get(`/api/v1/hosts/${FQDN.toUpperCase()}`);
    expect(response.statusCode).toBe(200);
    const detail = response.json<HostDetail>();
    expect(detail.host).toMatchObject({ fqdn: FQDN, role: "ManagementServer", reporting: "reporting" });
    expect(detail.registry.serialAsStored).toBe(second.registryHex);
    expect(detail.registry.serialAsCertificate).toBe(second.serialNumber);
    expect(detail.boundCertificate?.sha256).toBe(second.sha256);
    expect(detail.findings.map((finding) => finding.message).join(" ")).toMatch(
      /renewed but not re-imported/,
    );
    expect(detail.storeCertificates.map((item) => item.certificate.sha256).sort()).toEqual(
      [first.sha256, second.sha256, renewed.sha256].sort(),
    );
    const inStore = detail.storeCertificates.find((item) => item.certificate.sha256 === renewed.sha256);
    expect(inStore).toMatchObject({ bound: false, facts: { keyProviderType: "CSP", keySpec: 1 } });
    expect(
      detail.storeCertificates.find((item) => item.certificate.sha256 === first.sha256)?.facts,
    ).toBeNull();
    expect(detail.events[0]?.id).toBe(20053);
    expect(detail.serialHistory.map((entry) => entry.serialNumber)).toEqual([
      second.serialNumber,
      first.serialNumber,
    ]);
    expect(detail.reports).toHaveLength(3);
  });

  it("404 problem+json for a host nobody reported", async () => {
    const response = await t.get("/api/v1/hosts/nobody.contoso.com");
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});

describe("GET /api/v1/certificates/{sha256}", () => {
  it("shows parsed fields and who holds it", async () => {
    const detail = (await t.get(`/api/v1/certificates/${renewed.sha256}`)).json<CertificateDetail>();
    expect(detail.certificate).toMatchObject({
      sha256: renewed.sha256,
      serialNumber: renewed.serialNumber,
      subject: `CN=${FQDN}`,
      publicKeyAlgorithm: "RSA",
      publicKeySize: 2048,
      isCa: false,
    });
    expect(renewed.serialNumber.startsWith("00")).toBe(true);
    expect(certificateSerialToRegistryHex(renewed.serialNumber).endsWith("00")).toBe(true);
    expect(detail.hosts).toEqual([expect.objectContaining({ fqdn: FQDN, bound: false })]);
  });

  it("downloads the public certificate as PEM and DER, byte for byte what was reported", async () => {
    const der = await t.get(`/api/v1/certificates/${second.sha256}/der`);
    expect(der.statusCode).toBe(200);
    expect(der.headers["content-type"]).toBe("application/pkix-cert");
    expect(createHash("sha256").update(der.rawPayload).digest("hex")).toBe(second.sha256);
    const pem = await t.get(`/api/v1/certificates/${second.sha256}/pem`);
    expect(pem.body).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(pem.body).not.toMatch(/PRIVATE KEY/);
    const body = pem.body.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    expect(body).toBe(second.base64);
  });

  it("400 for a malformed id and 404 for an unknown one", async () => {
    expect((await t.get("/api/v1/certificates/xyz")).statusCode).toBe(400);
    expect((await t.get(`/api/v1/certificates/${"0".repeat(64)}`)).statusCode).toBe(404);
  });
});

describe("access policy", () => {
  it("refuses to start with a route that declares no access policy", async () => {
    const app = Fastify();
    await app.register(contextPlugin, { config: t.app.config, db: t.db, databaseUrl: t.databaseUrl });
    await app.register(authPlugin);
    await expect(
      app.register(async (child) => {
        child.get("/api/v1/unguarded", async () => "oops");
      }),
    ).rejects.toThrow(/declares no access policy/);
  });
});
