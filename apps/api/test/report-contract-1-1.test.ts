import type { IngestResult, Report } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, rowCounts, type TestApp } from "./support/app";
import {
  buildReport,
  createPki,
  type IssuedCertificate,
  issueCertificate,
  type Pki,
} from "./support/reports";

// Report contract 1.1 (issue 13, docs/collector-contract.md): optional fields only, so version 1 stays valid.
let t: TestApp;
let pki: Pki;
let certificate: IssuedCertificate;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  certificate = await issueCertificate(pki, {
    fqdn: "agent11.contoso.com",
    serialHex: "5a00000011c694dac94bcfdc4a000000001101",
  });
});
afterAll(async () => t?.close());

const post = (body: unknown) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: body as object,
  });

function reportV11(collectedAt: string): Report {
  const report = buildReport("agent11.contoso.com", [certificate], { collectedAt });
  const { managementGroup: _group, primaryServer: _primary, ...host } = report.host;
  return {
    ...report,
    schemaVersion: "1.1",
    host: {
      ...host,
      role: "Agent",
      dnsHostName: "AGENT11.contoso.com",
      managementGroups: [
        { name: "MG-EAST", primaryServer: "ms01.contoso.com" },
        { name: "MG-WEST", primaryServer: "ms09.contoso.com" },
      ],
    },
    registry: { ...report.registry, lastWriteTime: "2026-11-20T08:00:00Z" },
    events: [
      { id: 20053, time: "2026-11-24T09:00:00Z", message: "loaded", recordId: 4711 },
      { id: 20053, time: "2026-11-24T09:00:00Z", message: null, recordId: null },
    ],
    trustedCertificates: {
      roots: [{ thumbprint: "A".repeat(40), subject: "CN=Contoso Root CA" }],
      intermediates: [{ thumbprint: "b".repeat(40), subject: "CN=Contoso Issuing CA" }],
    },
    pendingRequests: [
      { thumbprint: "C".repeat(40), subject: "CN=agent11.contoso.com", createdAt: "2026-11-23T10:00:00Z" },
    ],
  };
}

describe("report contract 1.1", () => {
  it("accepts every 1.1 field and files a multi-homed agent under its first group with that group's server", async () => {
    const response = await post(reportV11("2026-11-24T10:00:00.000Z"));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<IngestResult>().host.status).toBe("ok");
    const host = await t.db.host.findUniqueOrThrow({
      where: { fqdn: "agent11.contoso.com" },
      include: { managementGroup: true },
    });
    expect(host.managementGroup?.name).toBe("MG-EAST");
    expect(host.primaryServer).toBe("ms01.contoso.com");
    const stored = await t.db.report.findFirstOrThrow({ where: { hostId: host.id } });
    expect(stored.events).toEqual([
      expect.objectContaining({ id: 20053, recordId: 4711 }),
      expect.objectContaining({ id: 20053, recordId: null }),
    ]);
  });

  it("still accepts contract 1 reports", async () => {
    const report = buildReport("agent11.contoso.com", [certificate], {
      collectedAt: "2026-11-24T11:00:00.000Z",
    });
    expect(report.schemaVersion).toBe(1);
    expect((await post(report)).statusCode).toBe(201);
  });

  it.each([
    ["an unknown version", (r: Report) => Object.assign(r, { schemaVersion: "1.2" }), "schemaVersion"],
    [
      "a thumbprint that is not 40 hex digits",
      (r: Report) => {
        r.trustedCertificates?.roots.push({ thumbprint: "xyz", subject: "CN=x" });
      },
      "trustedCertificates.roots[1].thumbprint",
    ],
    [
      "a record id below zero",
      (r: Report) => {
        if (r.events[0]) r.events[0].recordId = -1;
      },
      "events[0].recordId",
    ],
    [
      "a last write that is not a date-time",
      (r: Report) => {
        r.registry.lastWriteTime = "yesterday";
      },
      "registry.lastWriteTime",
    ],
    [
      "a DNS host name with a space",
      (r: Report) => {
        r.host.dnsHostName = "agent 11";
      },
      "host.dnsHostName",
    ],
    [
      "17 management groups",
      (r: Report) => {
        r.host.managementGroups = Array.from({ length: 17 }, (_, n) => ({ name: `MG-${n}` }));
      },
      "host.managementGroups",
    ],
  ])("refuses %s with 422 naming the field, and writes nothing", async (_name, spoil, field) => {
    const report = reportV11("2026-11-24T12:00:00.000Z");
    spoil(report);
    const before = await rowCounts(t.db);
    const response = await post(report);
    expect(response.statusCode).toBe(422);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json<{ errors: { field: string }[] }>().errors.map((error) => error.field)).toContain(
      field,
    );
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
