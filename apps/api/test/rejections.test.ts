import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type RowCounts, rowCounts, type TestApp } from "./support/app";
import { buildReport, createPki, type IssuedCertificate, issueCertificate, withDer } from "./support/reports";

/**
 * Every rejection answers application/problem+json naming the field, and changes nothing:
 * each test compares the row counts of every table a report writes before and after.
 */
let t: TestApp;
let certificate: IssuedCertificate;
let before: RowCounts;

beforeAll(async () => {
  const [app, pki] = await Promise.all([createTestApp(), createPki()]);
  t = app;
  certificate = await issueCertificate(pki, { fqdn: "ms01.contoso.com", serialHex: "3c4d5e6f" });
});
afterAll(async () => t?.close());
beforeEach(async () => {
  before = await rowCounts(t.db);
});

const PEM_KEY =
  "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";

function send(payload: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json", ...headers },
    payload,
  });
}

async function expectProblem(response: Awaited<ReturnType<typeof send>>, status: number, field?: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const problem = response.json();
  expect(problem).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  if (field) expect(problem.errors.map((error: { field: string }) => error.field)).toContain(field);
  expect(await rowCounts(t.db)).toEqual(before);
  return problem;
}

/** A minimal PKCS#12 (PFX) envelope: version 3 and a pkcs7-data ContentInfo. */
function pkcs12Base64(): string {
  const data = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
  const content = [0xa0, 0x04, 0x04, 0x02, 0x30, 0x00];
  const contentInfo = [0x30, data.length + content.length, ...data, ...content];
  const body = [0x02, 0x01, 0x03, ...contentInfo];
  return Buffer.from([0x30, body.length, ...body]).toString("base64");
}

describe("bad reports are refused with problem+json and change nothing", () => {
  it("401 without a token, with a wrong token, and with a revoked token", async () => {
    const body = JSON.stringify(buildReport("ms01.contoso.com", [certificate]));
    await expectProblem(await send(body, { authorization: "" }), 401);
    await expectProblem(await send(body, { authorization: "Bearer not-a-real-token" }), 401);
    await t.db.apiToken.updateMany({ data: { revokedAt: new Date() } });
    try {
      const response = await send(body);
      await expectProblem(response, 401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    } finally {
      await t.db.apiToken.updateMany({ data: { revokedAt: null } });
    }
  });

  it("400 on malformed JSON", async () => {
    const problem = await expectProblem(await send('{"schemaVersion": 1,'), 400);
    expect(problem.title).toBe("Malformed JSON");
  });

  it("422 naming host.role on an unknown role", async () => {
    const report = buildReport("ms01.contoso.com", [certificate]);
    const body = { ...report, host: { ...report.host, role: "Printer" } };
    const problem = await expectProblem(await send(JSON.stringify(body)), 422, "host.role");
    expect(problem.detail).toBe("host.role must be one of ManagementServer, Gateway, Agent");
  });

  it("422 naming schemaVersion on an unknown schema version", async () => {
    const body = { ...buildReport("ms01.contoso.com", [certificate]), schemaVersion: 2 };
    await expectProblem(await send(JSON.stringify(body)), 422, "schemaVersion");
  });

  it("422 naming missing and unknown fields", async () => {
    const { registry: _registry, ...withoutRegistry } = buildReport("ms01.contoso.com", [certificate]);
    const problem = await expectProblem(await send(JSON.stringify({ ...withoutRegistry, extra: 1 })), 422);
    expect(problem.errors).toContainEqual({ field: "registry", message: "is required" });
    expect(problem.errors).toContainEqual({ field: "extra", message: "is not a known field" });
  });

  it("422 naming certificates[0].der when it is not base64 DER", async () => {
    const report = buildReport("ms01.contoso.com", [certificate]);
    withDer(report, 0, "not base64!");
    await expectProblem(await send(JSON.stringify(report)), 422, "certificates[0].der");
  });

  it("422 naming certificates[1].der when it is base64 but not a certificate", async () => {
    const report = buildReport("ms01.contoso.com", [certificate, certificate]);
    withDer(report, 1, Buffer.from("hello, world").toString("base64"));
    const problem = await expectProblem(await send(JSON.stringify(report)), 422, "certificates[1].der");
    expect(problem.errors[0].message).toMatch(/not an X\.509 certificate/);
  });

  it("422 on a PEM private key anywhere in the report, and the key is not echoed", async () => {
    const report = buildReport("ms01.contoso.com", [certificate]);
    withDer(report, 0, PEM_KEY);
    const response = await send(JSON.stringify(report));
    const problem = await expectProblem(response, 422, "certificates[0].der");
    expect(problem.title).toBe("Private key material refused");
    expect(response.body).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7");
  });

  it("422 on a private key even inside an otherwise invalid report", async () => {
    const body = { schemaVersion: 9, note: PEM_KEY };
    const problem = await expectProblem(await send(JSON.stringify(body)), 422, "note");
    expect(problem.title).toBe("Private key material refused");
  });

  it("422 on a PKCS#12 blob sent as a certificate", async () => {
    const report = buildReport("ms01.contoso.com", [certificate]);
    withDer(report, 0, pkcs12Base64());
    const problem = await expectProblem(await send(JSON.stringify(report)), 422, "certificates[0].der");
    expect(problem.title).toBe("Private key material refused");
  });

  it("415 on a content type other than JSON", async () => {
    const problem = await expectProblem(await send("fqdn=ms01", { "content-type": "text/plain" }), 415);
    expect(problem.title).toBe("Unsupported media type");
  });

  it("413 on a body over the limit", async () => {
    const report = buildReport("ms01.contoso.com", [certificate]);
    const padded = JSON.stringify({ ...report, padding: "x".repeat(5 * 1024 * 1024) });
    await expectProblem(await send(padded), 413);
  });

  it("a private key in one batch item refuses that item only and stores nothing of it", async () => {
    const good = buildReport("batch-good.contoso.com", [certificate]);
    const bad = buildReport("batch-bad.contoso.com", [certificate]);
    withDer(bad, 0, PEM_KEY);
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports/batch",
      headers: { authorization: `Bearer ${t.token}` },
      payload: { reports: [good, bad] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.results[1]).toMatchObject({
      status: 422,
      problem: { title: "Private key material refused" },
    });
    expect(body.results[1].problem.errors[0].field).toBe("reports[1].certificates[0].der");
    expect(await t.db.host.findUnique({ where: { fqdn: "batch-bad.contoso.com" } })).toBeNull();
    const stored = await t.db.report.findMany({
      select: { certificates: true, events: true, findings: true },
    });
    expect(JSON.stringify(stored)).not.toContain("PRIVATE KEY");
  });
});

describe("problem+json everywhere", () => {
  it("404 for an unknown route", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/nope" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});
