/**
 * Which hosts need a channel certificate (issue 13; the seed's first paragraph: certificates only where
 * Kerberos cannot work). Settings per management group and per host, on the real server and Postgres.
 */
import {
  type AuditPage,
  type CertificateAuthentication,
  CertificateAuthReasonSchema,
  type HostDetail,
  type HostPage,
  type ManagementGroup,
  type ManagementGroupList,
  type Report,
  type Summary,
} from "@certfleet/contracts";
import { CERTIFICATE_AUTH_REASONS } from "@certfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerExpectedHosts } from "../src/services/inventory";
import { createTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const GROUP = "MG-KERBEROS";
let minutes = 0;

/** A domain host of GROUP with no certificate configured at all (what a Kerberos agent looks like). */
function kerberosReport(fqdn: string, role: Report["host"]["role"] = "Agent"): Report {
  minutes += 1;
  return {
    schemaVersion: 1,
    collectedAt: new Date(Date.now() - 3_600_000 + minutes * 60_000).toISOString(),
    host: { fqdn, role, managementGroup: GROUP, domainJoined: true, primaryServer: "ms01.contoso.com" },
    registry: { channelCertificateSerialNumber: null, channelCertificateHash: null },
    certificates: [],
    events: [],
  };
}

async function post(report: Report) {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: report,
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
}

async function detail(fqdn: string): Promise<HostDetail> {
  const response = await t.get(`/api/v1/hosts/${fqdn}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<HostDetail>();
}

async function groupId(name: string): Promise<number> {
  const list = (await t.get("/api/v1/management-groups")).json<ManagementGroupList>();
  const group = list.items.find((item) => item.name === name);
  if (!group) throw new Error(`no group ${name}`);
  return group.id;
}

async function put(url: string, payload: unknown, role: "admin" | "lead" = "admin") {
  return t.app.inject({
    method: "PUT",
    url,
    headers: (await t.as(role)).headers,
    payload: payload as object,
  });
}

describe("certificate authentication settings", () => {
  it("names in the contract every reason core can give", () => {
    expect(CertificateAuthReasonSchema.enum).toEqual([...CERTIFICATE_AUTH_REASONS]);
  });

  it("a domain agent without a certificate is an error until its group says Kerberos, then info at its next report", async () => {
    const fqdn = "agent01.kerberos.contoso.com";
    await post(kerberosReport(fqdn));
    let host = await detail(fqdn);
    expect(host.host.status).toBe("error");
    expect(host.host.certificateAuthentication).toEqual({
      required: true,
      reason: "default",
      hostSetting: null,
      groupSetting: null,
      usesKerberos: false,
    });

    const id = await groupId(GROUP);
    const changed = await put(`/api/v1/management-groups/${id}/certificate-authentication`, {
      required: false,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<ManagementGroup>()).toMatchObject({
      id,
      name: GROUP,
      certificateAuthRequired: false,
    });

    // The decision changes at once; the findings (and usesKerberos) are the newest report's until the next.
    host = await detail(fqdn);
    expect(host.host.certificateAuthentication).toMatchObject({
      required: false,
      reason: "group-setting",
      usesKerberos: false,
    });
    expect(host.host.status).toBe("error");

    await post(kerberosReport(fqdn));
    host = await detail(fqdn);
    expect(host.host.status).toBe("ok");
    expect(host.host.certificateAuthentication.usesKerberos).toBe(true);
    expect(host.findings.find((f) => f.ruleId === "registry-serial")).toMatchObject({
      severity: "info",
      message: expect.stringMatching(/^uses Kerberos: no channel certificate is configured/),
    });

    const audit = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=management_group.certificate_auth",
      headers: (await t.as("admin")).headers,
    });
    expect(audit.json<AuditPage>().items[0]).toMatchObject({
      entityType: "management_group",
      entityId: String(id),
      before: { name: GROUP, certificateAuthRequired: null },
      after: { name: GROUP, certificateAuthRequired: false },
    });
  });

  it("counts Kerberos hosts apart on the overview, with a host-list query that lists exactly them", async () => {
    const summary = (await t.get("/api/v1/summary")).json<Summary>();
    expect(summary.usesKerberos).toEqual({ key: "kerberos", count: 1, query: "authentication=kerberos" });
    const page = (await t.get(`/api/v1/hosts?${summary.usesKerberos.query}`)).json<HostPage>();
    expect(page.items.map((item) => item.fqdn)).toEqual(["agent01.kerberos.contoso.com"]);
    expect(page.items[0]).toMatchObject({ certificateAuthRequired: false, usesKerberos: true });
    const others = (await t.get("/api/v1/hosts?authentication=certificate")).json<HostPage>();
    expect(others.items.some((item) => item.usesKerberos)).toBe(false);
    const groups = (await t.get("/api/v1/management-groups")).json<ManagementGroupList>();
    expect(groups.items.find((group) => group.name === GROUP)).toMatchObject({ usesKerberos: 1 });
  });

  it("a host setting wins over the group's; a gateway needs a certificate whatever either says", async () => {
    const fqdn = "agent02.kerberos.contoso.com";
    await post(kerberosReport(fqdn));
    expect((await detail(fqdn)).host.status).toBe("ok");
    const changed = await put(`/api/v1/hosts/${fqdn}/certificate-authentication`, { required: true });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<CertificateAuthentication>()).toMatchObject({
      required: true,
      reason: "host-setting",
      hostSetting: true,
      groupSetting: false,
    });
    await post(kerberosReport(fqdn));
    const host = await detail(fqdn);
    expect(host.host.status).toBe("error");
    expect(host.host.certificateAuthentication.usesKerberos).toBe(false);

    const gateway = "gw01.kerberos.contoso.com";
    await post(kerberosReport(gateway, "Gateway"));
    const gw = await detail(gateway);
    expect(gw.host.status).toBe("error");
    expect(gw.host.certificateAuthentication).toMatchObject({ required: true, reason: "gateway" });

    // Clearing the host setting (null) falls back to the group's.
    const cleared = await put(`/api/v1/hosts/${fqdn}/certificate-authentication`, { required: null });
    expect(cleared.json<CertificateAuthentication>()).toMatchObject({
      required: false,
      reason: "group-setting",
      hostSetting: null,
    });
    const audit = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=host.certificate_auth",
      headers: (await t.as("admin")).headers,
    });
    expect(audit.json<AuditPage>().items.map((item) => item.after)).toEqual([
      { fqdn, certificateAuthRequired: null },
      { fqdn, certificateAuthRequired: true },
    ]);
  });

  it("answers bad input with 422 naming the field, unknown targets with 404, and leads with 403", async () => {
    const id = await groupId(GROUP);
    const wrongType = await put(`/api/v1/management-groups/${id}/certificate-authentication`, {
      required: "no",
    });
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(wrongType.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe("required");
    const missing = await put("/api/v1/hosts/agent01.kerberos.contoso.com/certificate-authentication", {});
    expect(missing.statusCode).toBe(422);
    expect(missing.json<{ detail: string }>().detail).toBe("required is required");
    expect(
      (await put("/api/v1/management-groups/999999/certificate-authentication", { required: true }))
        .statusCode,
    ).toBe(404);
    expect(
      (await put("/api/v1/hosts/nobody.contoso.com/certificate-authentication", { required: true }))
        .statusCode,
    ).toBe(404);
    expect(
      (await put(`/api/v1/management-groups/${id}/certificate-authentication`, { required: true }, "lead"))
        .statusCode,
    ).toBe(403);
  });

  it("takes a per-host value from an inventory, keeping the stored one when the inventory gives none", async () => {
    const fqdn = "agent03.inventory.contoso.com";
    await registerExpectedHosts(t.db, [
      {
        fqdn,
        role: "Agent",
        domainJoined: true,
        managementGroup: "MG-INVENTORY",
        certificateAuthRequired: false,
      },
    ]);
    expect((await detail(fqdn)).host.certificateAuthentication).toMatchObject({
      required: false,
      reason: "host-setting",
    });
    await registerExpectedHosts(t.db, [
      { fqdn, role: "Agent", domainJoined: true, managementGroup: "MG-INVENTORY" },
    ]);
    expect((await detail(fqdn)).host.certificateAuthentication.hostSetting).toBe(false);
  });
});
