import { generateKeyPairSync } from "node:crypto";
import type { AuditPage, IngestResult, TrustAnchor, TrustAnchorList } from "@certfleet/contracts";
import { createTestIssuer, type TestIssuer } from "@certfleet/core/testing";
import { createDatabaseClient, type Database } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createTestApp, type TestApp } from "./support/app";
import { buildReport, createPki, issueCertificate, type Pki } from "./support/reports";

const DAY = 86_400_000;
let t: TestApp;
/** Contoso's CA issues every certificate the hosts report. */
let contoso: Pki;
/** A CA nothing here chains to. */
let tailspin: TestIssuer;

beforeAll(async () => {
  [t, contoso, tailspin] = await Promise.all([
    createTestApp(),
    createPki(),
    createTestIssuer("CN=Tailspin Root CA, O=Tailspin"),
  ]);
});
afterAll(async () => t?.close());

const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;

async function upload(certificate: string, app: FastifyInstance = t.app) {
  return app.inject({
    method: "POST",
    url: "/api/v1/trust-anchors",
    headers: (await t.as("admin")).headers,
    payload: { certificate },
  });
}

async function removeAll() {
  const admin = await t.as("admin");
  const list = await t.app.inject({ method: "GET", url: "/api/v1/trust-anchors", headers: admin.headers });
  for (const anchor of list.json<TrustAnchorList>().items) {
    await t.app.inject({
      method: "DELETE",
      url: `/api/v1/trust-anchors/${anchor.id}`,
      headers: admin.headers,
    });
  }
}

let serial = 0x9700;
async function contosoCertificate(fqdn: string, expiresInDays = 365) {
  serial += 1;
  return issueCertificate(contoso, {
    fqdn,
    serialHex: `5c${serial.toString(16)}a0b0c0d0e0f`,
    notBefore: new Date(Date.now() - 300 * DAY),
    notAfter: new Date(Date.now() + expiresInDays * DAY),
  });
}

const post = (body: unknown, app: FastifyInstance = t.app) =>
  app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: body as object,
  });

describe("trust anchor administration", () => {
  it("adds a PEM root, lists it, refuses it twice, and removes it; each change audited", async () => {
    const admin = await t.as("admin");
    const added = await upload(pem(contoso.issuer.der));
    expect(added.statusCode, added.body).toBe(201);
    const anchor = added.json<TrustAnchor>();
    expect(anchor).toMatchObject({
      subject: "CN=Contoso Issuing CA, O=Contoso",
      selfSigned: true,
      createdBy: admin.email,
    });

    const list = await t.app.inject({ method: "GET", url: "/api/v1/trust-anchors", headers: admin.headers });
    expect(list.json<TrustAnchorList>().items.map((item) => item.sha256)).toEqual([anchor.sha256]);

    const twice = await upload(Buffer.from(contoso.issuer.der).toString("base64"));
    expect(twice.statusCode).toBe(409);

    const removed = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/trust-anchors/${anchor.id}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect(await t.db.trustAnchor.count()).toBe(0);
    const gone = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/trust-anchors/${anchor.id}`,
      headers: admin.headers,
    });
    expect(gone.statusCode).toBe(404);

    const audit = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=trust_anchor.",
      headers: admin.headers,
    });
    const entries = audit.json<AuditPage>().items.filter((entry) => entry.entityId === String(anchor.id));
    expect(entries.map((entry) => [entry.action, entry.actor])).toEqual([
      ["trust_anchor.delete", admin.email],
      ["trust_anchor.create", admin.email],
    ]);
    expect(entries[0]?.before).toMatchObject({ sha256: anchor.sha256 });
  });

  it("accepts base64 DER too", async () => {
    const added = await upload(Buffer.from(tailspin.issuer.der).toString("base64"));
    expect(added.statusCode, added.body).toBe(201);
    await removeAll();
  });

  it("refuses private keys, non-CA certificates and garbage with 422 naming the field; stores nothing", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const leaf = await contosoCertificate("ms40.contoso.com");
    for (const [text, expected] of [
      [keyPem, "private key"],
      [`${pem(contoso.issuer.der)}${keyPem}`, "private key"],
      [leaf.base64, "is not a CA certificate"],
      ["%% not base64 %%", "neither a PEM certificate nor base64"],
      [Buffer.from("hello world, not DER").toString("base64"), "is not an X.509 certificate"],
    ] as const) {
      const response = await upload(text);
      expect(response.statusCode, text.slice(0, 40)).toBe(422);
      const problem = response.json<{ errors: { field: string; message: string }[] }>();
      expect(problem.errors[0]?.field).toBe("certificate");
      expect(problem.errors[0]?.message).toContain(expected);
    }
    expect(await t.db.trustAnchor.count()).toBe(0);
    const keyAudits = await t.db.auditEvent.count({ where: { action: "trust_anchor.create" } });
    expect(keyAudits).toBe(2);
  });

  it("is for admins only: a viewer gets 403 reading or adding, no session 401", async () => {
    const viewer = await t.as("viewer");
    const read = await t.app.inject({ method: "GET", url: "/api/v1/trust-anchors", headers: viewer.headers });
    expect(read.statusCode).toBe(403);
    const add = await t.app.inject({
      method: "POST",
      url: "/api/v1/trust-anchors",
      headers: viewer.headers,
      payload: { certificate: pem(contoso.issuer.der) },
    });
    expect(add.statusCode).toBe(403);
    const lead = await t.as("lead");
    const remove = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/trust-anchors/1",
      headers: lead.headers,
    });
    expect(remove.statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/trust-anchors" })).statusCode).toBe(401);
    expect(await t.db.trustAnchor.count()).toBe(0);
  });
});

describe("chain checked by the server against the anchors", () => {
  it("without anchors the host's word counts; with a foreign anchor the same report is a chain error", async () => {
    const certificate = await contosoCertificate("ms41.contoso.com");
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const trusted = await post(
      buildReport("ms41.contoso.com", [certificate], { collectedAt: minutesAgo(3) }),
    );
    expect(trusted.json<IngestResult>().findings.filter((f) => f.ruleId === "chain")).toEqual([]);

    expect((await upload(pem(tailspin.issuer.der))).statusCode).toBe(201);
    const report = buildReport("ms41.contoso.com", [certificate], { collectedAt: minutesAgo(2) });
    expect(report.certificates[0]?.hostChainValid).toBe(true);
    const refused = (await post(report)).json<IngestResult>();
    const chain = refused.findings.filter((f) => f.ruleId === "chain");
    expect(chain).toHaveLength(1);
    expect(chain[0]?.severity).toBe("error");
    expect(chain[0]?.message).toContain('"CN=Tailspin Root CA, O=Tailspin"');
    expect(refused.host.status).toBe("error");

    // Trusting Contoso's CA as well: the same certificate chains again.
    expect((await upload(pem(contoso.issuer.der))).statusCode).toBe(201);
    const again = buildReport("ms41.contoso.com", [certificate]);
    const passed = (await post(again)).json<IngestResult>();
    expect(passed.findings.filter((f) => f.ruleId === "chain")).toEqual([]);
    expect(passed.host.status).toBe("ok");
    await removeAll();
  });

  it("another API instance on the same database applies an anchor added here within seconds", async () => {
    const db: Database = createDatabaseClient(t.databaseUrl, 2);
    const config = loadConfig({ DATABASE_URL: t.databaseUrl, LOG_LEVEL: "silent", CERTFLEET_JOBS: "false" });
    const second = await buildApp({ config, db, databaseUrl: t.databaseUrl });
    try {
      const certificate = await contosoCertificate("ms42.contoso.com");
      const before = await post(
        buildReport("ms42.contoso.com", [certificate], {
          collectedAt: new Date(Date.now() - 60_000).toISOString(),
        }),
        second,
      );
      expect(before.json<IngestResult>().findings.filter((f) => f.ruleId === "chain")).toEqual([]);
      expect((await upload(pem(tailspin.issuer.der))).statusCode).toBe(201);
      const deadline = Date.now() + 6000;
      let chainErrors = 0;
      for (let offset = 59_000; Date.now() < deadline && chainErrors === 0; offset -= 1000) {
        const response = await post(
          buildReport("ms42.contoso.com", [certificate], {
            collectedAt: new Date(Date.now() - offset).toISOString(),
          }),
          second,
        );
        chainErrors = response.json<IngestResult>().findings.filter((f) => f.ruleId === "chain").length;
        if (chainErrors === 0) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(chainErrors).toBe(1);
    } finally {
      await second.close();
      await db.$disconnect();
      await removeAll();
    }
  });
});

describe("renewal tasks and the anchor check", () => {
  it("keeps the task open while the new certificate fails the anchor check, closes it once it passes", async () => {
    const fqdn = "ms43.contoso.com";
    expect((await upload(pem(tailspin.issuer.der))).statusCode).toBe(201);
    const expiring = await contosoCertificate(fqdn, 5);
    await post(
      buildReport(fqdn, [expiring], { collectedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }),
    );
    const host = await t.db.host.findUniqueOrThrow({ where: { fqdn }, select: { id: true } });
    const task = await t.db.renewalTask.findFirstOrThrow({ where: { hostId: host.id } });
    expect(task.status).toBe("open");

    // Renewed and imported (event 20053), host chain valid, but it does not chain to the anchor.
    const renewed = await contosoCertificate(fqdn, 365);
    const collectedAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const afterRenewal = (
      await post(buildReport(fqdn, [renewed, expiring], { bound: renewed, collectedAt }))
    ).json<IngestResult>();
    expect(afterRenewal.findings.some((f) => f.ruleId === "chain" && f.severity === "error")).toBe(true);
    expect((await t.db.renewalTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("open");

    // Once the issuing CA is trusted, the next report of the same host closes the task.
    expect((await upload(pem(contoso.issuer.der))).statusCode).toBe(201);
    await post(buildReport(fqdn, [renewed, expiring], { bound: renewed }));
    const closed = await t.db.renewalTask.findUniqueOrThrow({ where: { id: task.id } });
    expect(closed.status).toBe("done");
    expect(closed.resolvedCertificateSha256).toBe(renewed.sha256);
    await removeAll();
  });
});
