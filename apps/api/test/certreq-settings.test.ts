import type { CertReqSettings, TaskDetail } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { postReport } from "./support/estate";
import { buildReport, createPki, type Pki } from "./support/reports";
import { certificateExpiringIn, detail, onlyTask } from "./support/tasks";

/** The v2 template OID every test certificate carries (support/reports.ts issueCertificate). */
const TEST_TEMPLATE_OID = "1.3.6.1.4.1.311.21.8.1.2.3";

let t: TestApp;
let pki: Pki;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
});
afterAll(async () => t?.close());

async function put(payload: Record<string, unknown>) {
  return t.app.inject({
    method: "PUT",
    url: "/api/v1/settings/certreq",
    headers: (await t.as("admin")).headers,
    payload,
  });
}

async function downloadInf(fqdn: string): Promise<string> {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/v1/hosts/${fqdn}/certreq.inf`,
    headers: (await t.as("operator")).headers,
  });
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** A host outside the domain whose bound certificate (with the test v2 template OID) expires soon. */
async function dmzHostWithTask(fqdn: string): Promise<TaskDetail> {
  const certificate = await certificateExpiringIn(pki, fqdn, 10);
  const report = buildReport(fqdn, [certificate], { bound: certificate });
  report.host.domainJoined = false;
  report.host.role = "Gateway";
  report.host.primaryServer = "ms01.contoso.com";
  await postReport(t, report);
  return detail(t, (await onlyTask(t, fqdn)).id);
}

describe("CertReq template settings", () => {
  it("start empty: the .inf names no template, says an admin must set one, and so does the task", async () => {
    expect((await t.get("/api/v1/settings/certreq")).json()).toEqual({
      defaultTemplateName: null,
      templateNamesByOid: [],
      updatedAt: null,
    });
    const task = await dmzHostWithTask("gw-unset.dmz.contoso.com");
    expect(task.certReqTemplate).toMatchObject({ name: null, source: "unset" });
    expect(task.certReqTemplate.explanation).toContain(
      `template OID ${TEST_TEMPLATE_OID} has no name in Settings`,
    );
    const inf = await downloadInf("gw-unset.dmz.contoso.com");
    expect(inf).not.toMatch(/^CertificateTemplate=/m);
    expect(inf).toContain(';CertificateTemplate="<your Operations Manager template name>"');
    expect(inf).toContain("an admin must set one");
    // The seed's name appears only in a comment, never as a value CertReq reads.
    expect(inf).not.toMatch(/^[^;\r\n].*OperationsManager/m);
  });

  it("rejects bad names and OIDs with 422 naming the field, and stores nothing", async () => {
    const bad = await put({
      defaultTemplateName: 'SCOM"Channel',
      templateNamesByOid: [
        { oid: "1.2.x", name: "Fine" },
        { oid: TEST_TEMPLATE_OID, name: "Line\r\nBreak" },
      ],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers["content-type"]).toContain("application/problem+json");
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
      "defaultTemplateName",
      "templateNamesByOid[0].oid",
      "templateNamesByOid[1].name",
    ]);
    const twice = await put({
      defaultTemplateName: null,
      templateNamesByOid: [
        { oid: TEST_TEMPLATE_OID, name: "A" },
        { oid: TEST_TEMPLATE_OID, name: "B" },
      ],
    });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().errors[0]).toMatchObject({ field: "templateNamesByOid[1].oid" });
    const tooLong = await put({ defaultTemplateName: "a".repeat(65), templateNamesByOid: [] });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().errors[0].field).toBe("defaultTemplateName");
    expect((await t.get("/api/v1/settings/certreq")).json().updatedAt).toBeNull();
  });

  it("only admins may change them", async () => {
    const response = await t.app.inject({
      method: "PUT",
      url: "/api/v1/settings/certreq",
      headers: (await t.as("lead")).headers,
      payload: { defaultTemplateName: "X", templateNamesByOid: [] },
    });
    expect(response.statusCode).toBe(403);
  });

  it("a default is used for a certificate whose template OID has no name, audited", async () => {
    const admin = await t.as("admin");
    const saved = await put({ defaultTemplateName: "SCOM Channel", templateNamesByOid: [] });
    expect(saved.statusCode).toBe(200);
    expect(saved.json<CertReqSettings>()).toMatchObject({
      defaultTemplateName: "SCOM Channel",
      templateNamesByOid: [],
    });
    const audit = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=setting.update",
      headers: admin.headers,
    });
    expect(audit.json().items[0]).toMatchObject({
      actor: admin.email,
      entityId: "certreq.templates",
      before: { defaultTemplateName: null, templateNamesByOid: [] },
      after: { defaultTemplateName: "SCOM Channel", templateNamesByOid: [] },
    });
    const inf = await downloadInf("gw-unset.dmz.contoso.com");
    expect(inf).toMatch(/^CertificateTemplate="SCOM Channel"\r$/m);
    expect(inf).toContain(`template OID ${TEST_TEMPLATE_OID} has no name in Settings`);
  });

  it("the certificate's own template OID, named in Settings, wins over the default", async () => {
    const saved = await put({
      defaultTemplateName: "SCOM Channel",
      templateNamesByOid: [
        { oid: TEST_TEMPLATE_OID, name: "SCOM Gateway 2048" },
        { oid: "1.3.6.1.4.1.311.21.8.1.1", name: "Another" },
      ],
    });
    // Sorted by OID whatever order the admin sent.
    expect(saved.json<CertReqSettings>().templateNamesByOid.map((m) => m.oid)).toEqual([
      "1.3.6.1.4.1.311.21.8.1.1",
      TEST_TEMPLATE_OID,
    ]);
    const inf = await downloadInf("gw-unset.dmz.contoso.com");
    expect(inf).toMatch(/^CertificateTemplate="SCOM Gateway 2048"\r$/m);
    expect(inf).toContain('_continue_ = "dns=gw-unset.dmz.contoso.com&"');
    const task = await detail(t, (await onlyTask(t, "gw-unset.dmz.contoso.com")).id);
    expect(task.certReqTemplate).toMatchObject({ name: "SCOM Gateway 2048", source: "certificate-oid" });
  });

  it("the checklist outside the domain trusts the CA on both ends and retrieves a pending request", async () => {
    const task = await dmzHostWithTask("gw-trust.dmz.contoso.com");
    const ids = task.checklist.map((step) => step.id);
    expect(ids.slice(0, 2)).toEqual(["import-root-ca", "import-issuing-ca"]);
    expect(ids).toContain("retrieve-approved-certificate");
    const root = task.checklist.find((step) => step.id === "import-root-ca");
    expect(root?.detail).toContain(
      "on gw-trust.dmz.contoso.com and on ms01.contoso.com (the management server it reports to)",
    );
    expect(root?.seedReference).toMatch(/^Download and Import the Root Certificate from the CA/);
  });
});
