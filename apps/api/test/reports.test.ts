import type { BatchResult, IngestResult } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, rowCounts, type TestApp } from "./support/app";
import {
  buildReport,
  createPki,
  type IssuedCertificate,
  issueCertificate,
  type Pki,
} from "./support/reports";

let t: TestApp;
let pki: Pki;
let healthy: IssuedCertificate;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  healthy = await issueCertificate(pki, {
    fqdn: "ms01.contoso.com",
    serialHex: "1f00000008c694dac94bcfdc4a000000000008",
  });
});
afterAll(async () => t?.close());

const post = (body: unknown, token = t.token) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${token}` },
    payload: body as object,
  });

describe("POST /api/v1/reports", () => {
  it("evaluates a healthy Management Server and answers exactly the documented shape", async () => {
    const response = await post(
      buildReport("ms01.contoso.com", [healthy], { collectedAt: "2026-11-24T10:00:00.000Z" }),
    );
    expect(response.statusCode).toBe(201);
    const body = response.json<IngestResult>();
    expect(Object.keys(body).sort()).toEqual(["boundCertificate", "findings", "host"]);
    expect(Object.keys(body.host).sort()).toEqual(["fqdn", "id", "role", "status"]);
    expect(body.host).toMatchObject({ fqdn: "ms01.contoso.com", role: "ManagementServer", status: "ok" });
    expect(body.boundCertificate).toEqual({
      sha256: healthy.sha256,
      serialNumber: healthy.serialNumber,
      notAfter: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(body.findings.filter((finding) => finding.severity !== "info")).toEqual([]);
    for (const finding of body.findings) {
      expect(Object.keys(finding).sort()).toEqual(["message", "remediation", "ruleId", "severity"]);
    }
  });

  it("stores history, the host's current state, its findings and the certificate once", async () => {
    const host = await t.db.host.findUniqueOrThrow({
      where: { fqdn: "ms01.contoso.com" },
      include: { managementGroup: true },
    });
    expect(host.status).toBe("ok");
    expect(host.boundCertificateSha256).toBe(healthy.sha256);
    expect(host.managementGroup?.name).toBe("MG-PROD");
    expect(await t.db.report.count({ where: { hostId: host.id } })).toBe(1);
    expect(await t.db.certificate.count({ where: { sha256: healthy.sha256 } })).toBe(1);
    expect(await t.db.hostBinding.count({ where: { hostId: host.id } })).toBe(1);
  });

  it("is idempotent: the same host and collectedAt answer 200 with the same body and write nothing", async () => {
    const report = buildReport("ms01.contoso.com", [healthy], { collectedAt: "2026-11-24T10:00:00.000Z" });
    const before = await rowCounts(t.db);
    const again = await post(report);
    expect(again.statusCode).toBe(200);
    expect(again.json<IngestResult>().boundCertificate?.sha256).toBe(healthy.sha256);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("treats FQDNs case-insensitively and stores them in lower case", async () => {
    const response = await post(
      buildReport("MS01.Contoso.COM", [healthy], { collectedAt: "2026-11-24T11:00:00.000Z" }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json<IngestResult>().host.fqdn).toBe("ms01.contoso.com");
    expect(await t.db.host.count({ where: { fqdn: { contains: "ms01", mode: "insensitive" } } })).toBe(1);
  });

  it("turns a host to error when the registry names no certificate in the store", async () => {
    const report = buildReport("ms01.contoso.com", [healthy], {
      bound: null,
      collectedAt: "2026-11-24T12:00:00.000Z",
    });
    const body = (await post(report)).json<IngestResult>();
    expect(body.host.status).toBe("error");
    expect(body.boundCertificate).toBeNull();
    expect(body.findings).toContainEqual(
      expect.objectContaining({ ruleId: "registry-serial", severity: "error" }),
    );
    const host = await t.db.host.findUniqueOrThrow({
      where: { fqdn: "ms01.contoso.com" },
      include: { findings: true },
    });
    expect(host.status).toBe("error");
    expect(host.boundCertificateSha256).toBeNull();
    expect(host.findings.map((finding) => finding.ruleId)).toContain("registry-serial");
  });

  it("keeps a late (older) report in history without rewinding the host's current state", async () => {
    const late = buildReport("ms01.contoso.com", [healthy], { collectedAt: "2026-11-20T08:00:00.000Z" });
    const response = await post(late);
    expect(response.statusCode).toBe(201);
    const body = response.json<IngestResult>();
    expect(body.host.status).toBe("error"); // the current status, from the newer report
    const host = await t.db.host.findUniqueOrThrow({ where: { fqdn: "ms01.contoso.com" } });
    expect(host.status).toBe("error");
    expect(host.lastReportAt?.toISOString()).toBe("2026-11-24T12:00:00.000Z");
    expect(await t.db.report.count({ where: { hostId: host.id } })).toBe(4);
  });

  it("records serial history when the bound certificate changes (renewal re-imported)", async () => {
    const renewed = await issueCertificate(pki, {
      fqdn: "ms01.contoso.com",
      serialHex: "1f0000000a11223344556677880000000000aa",
    });
    const report = buildReport("ms01.contoso.com", [renewed, healthy], {
      collectedAt: "2026-11-24T13:00:00.000Z",
    });
    const body = (await post(report)).json<IngestResult>();
    expect(body.host.status).toBe("ok");
    expect(body.boundCertificate?.serialNumber).toBe(renewed.serialNumber);
    const host = await t.db.host.findUniqueOrThrow({ where: { fqdn: "ms01.contoso.com" } });
    const bindings = await t.db.hostBinding.findMany({
      where: { hostId: host.id },
      orderBy: { firstSeenAt: "asc" },
    });
    expect(bindings.map((binding) => binding.certificateSha256)).toEqual([
      healthy.sha256,
      null,
      renewed.sha256,
    ]);
    const seen = await t.db.hostCertificate.findMany({ where: { hostId: host.id } });
    expect(seen).toHaveLength(2);
  });

  it("flags the same certificate bound on a second host as a duplicate, naming the first", async () => {
    const shared = await issueCertificate(pki, { fqdn: "gw01.dmz.contoso.com", serialHex: "0a0b0c0d0e0f" });
    await post(buildReport("gw01.dmz.contoso.com", [shared]));
    const body = (await post(buildReport("gw02.dmz.contoso.com", [shared]))).json<IngestResult>();
    const duplicate = body.findings.find((finding) => finding.ruleId === "duplicate");
    expect(duplicate?.severity).toBe("error");
    expect(duplicate?.message).toContain("gw01.dmz.contoso.com");
  });
});

describe("POST /api/v1/reports/batch", () => {
  it("stores the good reports and answers a problem for each bad one, in order", async () => {
    const a = await issueCertificate(pki, { fqdn: "agent-a.contoso.com", serialHex: "7a01" });
    const b = await issueCertificate(pki, { fqdn: "agent-b.contoso.com", serialHex: "7a02" });
    const badRole = {
      ...buildReport("agent-x.contoso.com", [a]),
      host: { fqdn: "agent-x.contoso.com", role: "Printer", domainJoined: true },
    };
    const before = await rowCounts(t.db);
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports/batch",
      headers: { authorization: `Bearer ${t.token}` },
      payload: {
        reports: [buildReport("agent-a.contoso.com", [a]), badRole, buildReport("agent-b.contoso.com", [b])],
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<BatchResult>();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(1);
    expect(body.results.map((result) => result.status)).toEqual([201, 422, 201]);
    expect(body.results[1]?.problem?.errors).toContainEqual({
      field: "reports[1].host.role",
      message: "must be one of ManagementServer, Gateway, Agent",
    });
    const after = await rowCounts(t.db);
    expect(after.hosts - before.hosts).toBe(2);
    expect(after.reports - before.reports).toBe(2);
    expect(await t.db.host.findUnique({ where: { fqdn: "agent-x.contoso.com" } })).toBeNull();
  });

  it("refuses more than 1,000 reports in one batch and stores none", async () => {
    const before = await rowCounts(t.db);
    const report = buildReport("agent-z.contoso.com", [healthy]);
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports/batch",
      headers: { authorization: `Bearer ${t.token}` },
      payload: { reports: Array.from({ length: 1001 }, () => report) },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe("reports");
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
