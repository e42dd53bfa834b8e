import { createHash } from "node:crypto";
import type {
  AuditPage,
  ComplianceDiff,
  ComplianceReport,
  ComplianceReportPage,
  ComplianceVerification,
  Summary,
} from "@certfleet/contracts";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { type HostSpec, postHost } from "./support/estate";
import { createPki, type Pki } from "./support/reports";

let t: TestApp;
let pki: Pki;

const ESTATE: HostSpec[] = [
  { fqdn: "ms01.contoso.com", role: "ManagementServer", expiresInDays: 365 },
  { fqdn: "ms02.contoso.com", role: "ManagementServer", managementGroup: "MG-DEV", expiresInDays: 200 },
  { fqdn: "gw01.dmz.contoso.com", role: "Gateway", managementGroup: "MG-DMZ", expiresInDays: 5 },
  { fqdn: "agent01.contoso.com", expiresInDays: -3 },
  { fqdn: "agent02.contoso.com", managementGroup: "MG-DEV", expiresInDays: 20, keyProviderType: "KSP" },
  { fqdn: "agent03.contoso.com", managementGroup: null, expiresInDays: 45 },
  { fqdn: "agent05.contoso.com", unbound: true },
  { fqdn: "agent07.contoso.com", expiresInDays: 100 },
];

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  for (const spec of ESTATE) await postHost(t, pki, spec);
});
afterAll(async () => t?.close());

async function takeReport(title: string, filter?: object): Promise<ComplianceReport> {
  const lead = await t.as("lead");
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/compliance-reports",
    headers: lead.headers,
    payload: { title, ...(filter ? { filter } : {}) },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ComplianceReport>();
}

async function audit(action: string): Promise<AuditPage["items"]> {
  const admin = await t.as("admin");
  const response = await t.app.inject({
    method: "GET",
    url: `/api/v1/audit?action=${action}`,
    headers: admin.headers,
  });
  return response.json<AuditPage>().items;
}

const sha256 = (body: Buffer | string) => createHash("sha256").update(body).digest("hex");

describe("taking a compliance report", () => {
  let report: ComplianceReport;
  beforeAll(async () => {
    report = await takeReport("Q2 certificate audit");
  });

  it("is for leads and admins only", async () => {
    for (const role of ["viewer", "operator"] as const) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/compliance-reports",
        headers: (await t.as(role)).headers,
        payload: { title: "not allowed" },
      });
      expect(response.statusCode).toBe(403);
    }
  });

  it("freezes every host with totals that equal the estate summary", async () => {
    const summary = (await t.get("/api/v1/summary")).json<Summary>();
    expect(report.hostCount).toBe(summary.total.count);
    expect(report.hostCount).toBe(ESTATE.length);
    for (const count of summary.byStatus)
      expect(report.totals.byStatus[count.key as string]).toBe(count.count);
    for (const count of summary.byRole) expect(report.totals.byRole[count.key as string]).toBe(count.count);
    for (const count of summary.byManagementGroup)
      expect(report.totals.byManagementGroup[count.key ?? ""]).toBe(count.count);
    for (const count of summary.expiry) expect(report.totals.byExpiry[count.key as string]).toBe(count.count);
    expect(report.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.createdBy).toBe((await t.as("lead")).email);
  });

  it("is listed newest first and readable by viewers", async () => {
    const second = await takeReport("Second");
    const page = (await t.get("/api/v1/compliance-reports?limit=1")).json<ComplianceReportPage>();
    expect(page.items[0]?.id).toBe(second.id);
    const next = (
      await t.get(`/api/v1/compliance-reports?limit=1&cursor=${page.nextCursor}`)
    ).json<ComplianceReportPage>();
    expect(next.items[0]?.id).toBeLessThan(second.id);
    const one = await t.get(`/api/v1/compliance-reports/${report.id}`);
    expect(one.json<ComplianceReport>().contentSha256).toBe(report.contentSha256);
    expect((await t.get("/api/v1/compliance-reports/999999")).statusCode).toBe(404);
  });

  it("records report.create with the id, title, host count and hash", async () => {
    const entry = (await audit("report.create")).find((item) => item.entityId === String(report.id));
    expect(entry?.actor).toBe((await t.as("lead")).email);
    expect(entry?.after).toMatchObject({
      title: "Q2 certificate audit",
      hostCount: ESTATE.length,
      contentSha256: report.contentSha256,
    });
  });

  it("honours the host filter", async () => {
    const errors = await takeReport("Errors only", { status: "error" });
    expect(errors.hostCount).toBe(3);
    expect(errors.totals.byStatus).toMatchObject({ error: 3, ok: 0, warning: 0 });
    expect(errors.filter).toEqual({ status: "error" });
  });
});

describe("proving a report was not altered", () => {
  it("serves the JSON whose sha256sum is the recorded hash, and audits the download", async () => {
    const report = await takeReport("Hash check");
    const response = await t.get(`/api/v1/compliance-reports/${report.id}.json`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/application\/json/);
    expect(sha256(response.rawPayload)).toBe(report.contentSha256);
    const body = JSON.parse(response.body) as { header: { hostCount: number }; rows: { fqdn: string }[] };
    expect(body.header.hostCount).toBe(ESTATE.length);
    expect(body.rows.map((row) => row.fqdn)).toEqual(ESTATE.map((spec) => spec.fqdn).sort());
    const downloads = await audit("report.download");
    expect(
      downloads.some(
        (entry) =>
          entry.entityId === String(report.id) && (entry.after as { format: string }).format === "json",
      ),
    ).toBe(true);
  });

  it("verifies intact, then detects one tampered row", async () => {
    const report = await takeReport("Tamper check");
    const intact = (
      await t.get(`/api/v1/compliance-reports/${report.id}/verify`)
    ).json<ComplianceVerification>();
    expect(intact).toEqual({
      storedSha256: report.contentSha256,
      computedSha256: report.contentSha256,
      auditedSha256: report.contentSha256,
      intact: true,
      rowCount: ESTATE.length,
    });

    // Someone with database access turns an error host into an ok one.
    const updated = await t.db.$executeRaw`
      UPDATE "ComplianceReportRow" SET data = jsonb_set(data, '{status}', '"ok"')
      WHERE "reportId" = ${report.id} AND fqdn = 'agent01.contoso.com'`;
    expect(updated).toBe(1);
    const altered = (
      await t.get(`/api/v1/compliance-reports/${report.id}/verify`)
    ).json<ComplianceVerification>();
    expect(altered.intact).toBe(false);
    expect(altered.storedSha256).toBe(report.contentSha256);
    expect(altered.computedSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(altered.computedSha256).not.toBe(report.contentSha256);
    const download = await t.get(`/api/v1/compliance-reports/${report.id}.json`);
    expect(sha256(download.rawPayload)).toBe(altered.computedSha256);
  });

  it("detects rows and the report's own hash rewritten together, against the hash in the audit log", async () => {
    const report = await takeReport("Rewrite check");
    // Someone who can write the report tables turns an error host into an ok one, then rewrites
    // the report's stored hash to match the altered rows, so the two agree again.
    await t.db.$executeRaw`
      UPDATE "ComplianceReportRow" SET data = jsonb_set(data, '{status}', '"ok"')
      WHERE "reportId" = ${report.id} AND fqdn = 'agent01.contoso.com'`;
    const altered = (
      await t.get(`/api/v1/compliance-reports/${report.id}/verify`)
    ).json<ComplianceVerification>();
    await t.db.complianceReport.update({
      where: { id: report.id },
      data: { contentSha256: altered.computedSha256 },
    });
    const result = (
      await t.get(`/api/v1/compliance-reports/${report.id}/verify`)
    ).json<ComplianceVerification>();
    expect(result.storedSha256).toBe(result.computedSha256);
    expect(result.auditedSha256).toBe(report.contentSha256);
    expect(result.intact).toBe(false);
  });

  it("detects a report row's stored hash edited alone", async () => {
    const report = await takeReport("Stored hash check");
    await t.db.complianceReport.update({ where: { id: report.id }, data: { contentSha256: "0".repeat(64) } });
    const result = (
      await t.get(`/api/v1/compliance-reports/${report.id}/verify`)
    ).json<ComplianceVerification>();
    expect(result).toMatchObject({
      storedSha256: "0".repeat(64),
      computedSha256: report.contentSha256,
      auditedSha256: report.contentSha256,
      intact: false,
    });
  });

  it("detects a deleted row", async () => {
    const report = await takeReport("Delete check");
    await t.db.complianceReportRow.delete({
      where: { reportId_fqdn: { reportId: report.id, fqdn: "ms01.contoso.com" } },
    });
    const result = (
      await t.get(`/api/v1/compliance-reports/${report.id}/verify`)
    ).json<ComplianceVerification>();
    expect(result.intact).toBe(false);
    expect(result.rowCount).toBe(ESTATE.length - 1);
  });
});

describe("downloads", () => {
  let report: ComplianceReport;
  beforeAll(async () => {
    report = await takeReport("Downloads");
  });

  it("CSV: one line per host in fqdn order with serial, expiry and findings", async () => {
    const response = await t.get(`/api/v1/compliance-reports/${report.id}.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/csv/);
    const lines = response.body.trim().split("\n");
    expect(lines[0]).toMatch(/^fqdn,role,managementGroup,status,/);
    expect(lines).toHaveLength(ESTATE.length + 1);
    const agent01 = lines.find((line) => line.startsWith("agent01.contoso.com,"));
    expect(agent01).toMatch(/,error,/);
    expect(agent01).toMatch(/error:validity/);
  });

  it("PDF: totals equal the summary, and error hosts are listed under Exceptions", async () => {
    const response = await t.get(`/api/v1/compliance-reports/${report.id}.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(response.rawPayload) });
    const { text } = await parser.getText();
    await parser.destroy();
    const summary = (await t.get("/api/v1/summary")).json<Summary>();
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain(`Hosts: ${summary.total.count}`);
    expect(flat).toContain(report.contentSha256);
    for (const count of summary.byStatus)
      expect(flat).toMatch(new RegExp(`\\(${count.key}\\) ${count.count}\\b`));
    for (const count of summary.byRole) expect(flat).toContain(`${count.key} ${count.count}`);
    for (const count of summary.byManagementGroup)
      expect(flat).toContain(`${count.key ?? "(no management group)"} ${count.count}`);
    const exceptions = flat.slice(flat.indexOf("Exceptions"));
    expect(flat.indexOf("Exceptions")).toBeGreaterThan(0);
    for (const fqdn of [
      "agent01.contoso.com",
      "agent02.contoso.com",
      "agent05.contoso.com",
      "gw01.dmz.contoso.com",
    ])
      expect(exceptions).toContain(fqdn);
    expect(exceptions).not.toContain("ms01.contoso.com");
    expect(exceptions).toContain("Management group: MG-DEV");
  });

  it("404s for an unknown report and rejects an unknown format", async () => {
    expect((await t.get("/api/v1/compliance-reports/424242.pdf")).statusCode).toBe(404);
    expect((await t.get(`/api/v1/compliance-reports/${report.id}.xml`)).statusCode).toBe(400);
  });
});

describe("comparing two reports", () => {
  it("lists hosts that got better, worse, are new or gone", async () => {
    const before = await takeReport("Before");
    await postHost(t, pki, { fqdn: "agent01.contoso.com", expiresInDays: 300 }); // renewed: error → ok
    await postHost(t, pki, { fqdn: "ms01.contoso.com", role: "ManagementServer", expiresInDays: -1 }); // expired
    await postHost(t, pki, { fqdn: "agent09.contoso.com", expiresInDays: 300 }); // new
    await t.db.host.delete({ where: { fqdn: "agent07.contoso.com" } }); // decommissioned
    const after = await takeReport("After");

    const response = await t.get(`/api/v1/compliance-reports/${before.id}/diff/${after.id}`);
    expect(response.statusCode).toBe(200);
    const diff = response.json<ComplianceDiff>();
    expect(diff.better.map((entry) => entry.fqdn)).toEqual(["agent01.contoso.com"]);
    expect(diff.better[0]?.from?.status).toBe("error");
    expect(diff.better[0]?.to?.status).toBe("ok");
    expect(diff.worse.map((entry) => entry.fqdn)).toEqual(["ms01.contoso.com"]);
    expect(diff.new.map((entry) => entry.fqdn)).toEqual(["agent09.contoso.com"]);
    expect(diff.gone.map((entry) => entry.fqdn)).toEqual(["agent07.contoso.com"]);
    expect(diff.unchanged).toBe(ESTATE.length - 3);
    expect(diff.counts).toEqual({ better: 1, worse: 1, new: 1, gone: 1, unchanged: ESTATE.length - 3 });
  });
});

describe("report schedules", () => {
  it("validates cron and time zone, naming the field", async () => {
    const lead = await t.as("lead");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/report-schedules",
      headers: lead.headers,
      payload: { name: "Weekly", cron: "0 25 * * 1", timezone: "Mars/Olympus" },
    });
    expect(bad.statusCode).toBe(422);
    const fields = bad.json<{ errors: { field: string }[] }>().errors.map((error) => error.field);
    expect(fields).toEqual(["cron", "timezone"]);
  });

  it("creates, changes and deletes a schedule, each audited; viewers may not", async () => {
    const lead = await t.as("lead");
    const viewer = await t.as("viewer");
    const denied = await t.app.inject({
      method: "POST",
      url: "/api/v1/report-schedules",
      headers: viewer.headers,
      payload: { name: "Weekly", cron: "0 7 * * 1", timezone: "Europe/Berlin" },
    });
    expect(denied.statusCode).toBe(403);
    expect((await t.get("/api/v1/report-schedules")).statusCode).toBe(403);

    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/report-schedules",
      headers: lead.headers,
      payload: { name: "Weekly", cron: "0 7 * * 1", timezone: "Europe/Berlin", filter: { role: "Gateway" } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json<{ id: number; enabled: boolean; filter: object }>();
    expect(schedule).toMatchObject({ enabled: true, filter: { role: "Gateway" } });

    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/report-schedules/${schedule.id}`,
      headers: lead.headers,
      payload: { enabled: false, cron: "30 6 * * MON-FRI" },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ enabled: false, cron: "30 6 * * MON-FRI" });
    const badPatch = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/report-schedules/${schedule.id}`,
      headers: lead.headers,
      payload: { cron: "every monday" },
    });
    expect(badPatch.statusCode).toBe(422);

    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/report-schedules/${schedule.id}`,
      headers: lead.headers,
    });
    expect(deleted.statusCode).toBe(204);
    const list = await t.app.inject({
      method: "GET",
      url: "/api/v1/report-schedules",
      headers: lead.headers,
    });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);

    const actions = (await audit("schedule.")).filter((entry) => entry.entityId === String(schedule.id));
    expect(actions.map((entry) => entry.action).sort()).toEqual([
      "schedule.create",
      "schedule.delete",
      "schedule.update",
    ]);
  });
});
