import type { AuditPage, CollectorToken, CollectorTokenCreated } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type SignedIn, type TestApp } from "./support/app";
import { buildReport, createPki, issueCertificate } from "./support/reports";

let t: TestApp;
let admin: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.as("admin");
});
afterAll(async () => t?.close());

const adminGet = (url: string) => t.app.inject({ method: "GET", url, headers: admin.headers });

describe("collector tokens", () => {
  it("creates a token shown once, stores only its hash, and revoking it stops its collector", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: admin.headers,
      payload: { name: "MG-PROD collector on ms01" },
    });
    expect(created.statusCode).toBe(201);
    const token = created.json<CollectorTokenCreated>();
    expect(token.token).toMatch(/^cfc_/);
    expect(token).toMatchObject({
      name: "MG-PROD collector on ms01",
      createdBy: admin.email,
      revokedAt: null,
      lastUsedAt: null,
    });
    const stored = await t.db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(stored.tokenHash).not.toContain(token.token);
    expect(JSON.stringify(stored)).not.toContain(token.token);

    const listed = (await adminGet("/api/v1/tokens")).json<{ items: CollectorToken[] }>().items;
    expect(listed.find((item) => item.id === token.id)).not.toHaveProperty("token");

    const pki = await createPki();
    const certificate = await issueCertificate(pki, {
      fqdn: "ms01.contoso.com",
      serialHex: "3a0b0c0d0e0f1011",
    });
    const post = () =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/reports",
        headers: { authorization: `Bearer ${token.token}` },
        payload: buildReport("ms01.contoso.com", [certificate]),
      });
    expect((await post()).statusCode).toBe(201);
    const used = (await adminGet("/api/v1/tokens")).json<{ items: CollectorToken[] }>().items;
    expect(used.find((item) => item.id === token.id)?.lastUsedAt).not.toBeNull();

    const revoked = await t.app.inject({
      method: "POST",
      url: `/api/v1/tokens/${token.id}/revoke`,
      headers: admin.headers,
    });
    expect(revoked.json<CollectorToken>().revokedAt).not.toBeNull();
    expect((await post()).statusCode).toBe(401);
  });

  it("rejects an empty name with 422 naming the field", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: admin.headers,
      payload: { name: "" },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe("name");
  });
});

describe("audit log", () => {
  it("records who changed what with before and after, filterable by action prefix and actor", async () => {
    const page = (await adminGet(`/api/v1/audit?action=token.&actor=${admin.email}`)).json<AuditPage>();
    expect(page.items.map((entry) => entry.action)).toEqual(["token.revoke", "token.create"]);
    const revoke = page.items[0];
    expect(revoke?.before).toMatchObject({ revokedAt: null });
    expect(revoke?.after).toMatchObject({ revokedAt: expect.any(String) });
    expect(revoke?.ip).toBe("127.0.0.1");
  });

  it("cannot be changed or deleted, even by the database owner", async () => {
    const [entry] = await t.db.auditEvent.findMany({ take: 1 });
    expect(entry).toBeDefined();
    await expect(
      t.db.auditEvent.update({ where: { id: entry?.id }, data: { action: "tampered" } }),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
    expect(await t.db.auditEvent.findUnique({ where: { id: entry?.id } })).toMatchObject({
      action: entry?.action,
    });
  });

  it("exports the filtered log as CSV, neutralising formulas, and audits the export", async () => {
    await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: admin.headers,
      payload: {
        email: "formula@test.certfleet.local",
        name: '=HYPERLINK("http://evil")',
        role: "viewer",
        password: "formula-password",
      },
    });
    const response = await adminGet("/api/v1/audit.csv?action=user.create");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/csv");
    expect(response.headers["content-disposition"]).toMatch(
      /attachment; filename="certfleet-audit-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = response.body.trim().split("\n");
    expect(lines[0]).toBe("id,at,actor,action,entityType,entityId,ip,before,after");
    expect(lines.slice(1).every((line) => line.includes(",user.create,user,"))).toBe(true);
    expect(response.body).toContain("formula@test.certfleet.local");
    expect(response.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const exports = (await adminGet("/api/v1/audit?action=export.audit_csv")).json<AuditPage>();
    expect(exports.items[0]?.after).toEqual({ filter: { action: "user.create" } });
  });

  it("pages newest first with a cursor", async () => {
    const first = (await adminGet("/api/v1/audit?limit=2")).json<AuditPage>();
    const second = (await adminGet(`/api/v1/audit?limit=2&cursor=${first.nextCursor}`)).json<AuditPage>();
    const ids = [...first.items, ...second.items].map((entry) => BigInt(entry.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    expect(new Set(ids).size).toBe(4);
  });
});
