/**
 * The duplicate rule's lookup of the other hosts bound to a certificate, through the real ingest routes and
 * Postgres (issue 13, "Duplicate": error on hosts the certificate does not name, warning on the one it
 * names; hosts silent past CERTFLEET_SILENT_AFTER_HOURS, relative to the report evaluated, do not count).
 */
import type { BatchResult, Finding, IngestResult, Report } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate } from "@certfleet/core";
import { createCa } from "@certfleet/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import {
  buildReport,
  createPki,
  type IssuedCertificate,
  issueCertificate,
  type Pki,
} from "./support/reports";

const SILENT_AFTER_HOURS = 24;
const HOUR = 3_600_000;
const T0 = Date.parse("2026-11-20T00:00:00.000Z");
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

let t: TestApp;
let pki: Pki;

beforeAll(async () => {
  [t, pki] = await Promise.all([
    createTestApp({ CERTFLEET_SILENT_AFTER_HOURS: String(SILENT_AFTER_HOURS) }),
    createPki(),
  ]);
});
afterAll(async () => t?.close());

const post = async (report: Report): Promise<IngestResult> => {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: report,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<IngestResult>();
};

/** One batch through the real route; each item's ingest result, in order. */
const postBatch = async (reports: Report[]): Promise<(IngestResult | undefined)[]> => {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/reports/batch",
    headers: { authorization: `Bearer ${t.token}` },
    payload: { reports },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<BatchResult>().results.map((result) => result.result);
};

/** One inventory snapshot (plain CSV) through the real route, with the test's token (it may import). */
const importInventory = async (csv: string): Promise<void> => {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/inventory",
    headers: { authorization: `Bearer ${t.token}` },
    payload: { sources: [{ name: "hosts.csv", csv }], dryRun: false },
  });
  expect(response.statusCode, response.body).toBe(200);
};

const duplicates = (findings: Finding[]) => findings.filter((finding) => finding.ruleId === "duplicate");

describe("duplicate lookup", () => {
  let shared: IssuedCertificate;
  beforeAll(async () => {
    shared = await issueCertificate(pki, { fqdn: "app01.contoso.com", serialHex: "0d0d01" });
  });

  it("errors on a host the certificate does not name, warns on the one it names, while both report", async () => {
    await post(buildReport("app01.contoso.com", [shared], { collectedAt: at(0) }));
    const clone = await post(buildReport("app02.contoso.com", [shared], { collectedAt: at(2) }));
    expect(duplicates(clone.findings).map((f) => f.severity)).toEqual(["error"]);
    expect(duplicates(clone.findings)[0]?.message).toContain("1 other host: app01.contoso.com");
    const original = await post(buildReport("app01.contoso.com", [shared], { collectedAt: at(3) }));
    expect(duplicates(original.findings).map((f) => f.severity)).toEqual(["warning"]);
    expect(duplicates(original.findings)[0]?.message).toContain("1 other host: app02.contoso.com");
    // The warning is stored as the host's current finding too.
    const host = await t.db.host.findUniqueOrThrow({
      where: { fqdn: "app01.contoso.com" },
      include: { findings: true },
    });
    expect(host.findings.filter((f) => f.ruleId === "duplicate").map((f) => f.severity)).toEqual(["warning"]);
  });

  it("a host silent past the threshold no longer counts: the duplicate goes once its copy is silent", async () => {
    // app02 last reported at hour 2. At hour 2 + 24 it is exactly at the threshold: still counted.
    const edge = await post(buildReport("app01.contoso.com", [shared], { collectedAt: at(26) }));
    expect(duplicates(edge.findings)[0]?.message).toContain("app02.contoso.com");
    // One hour later app02 is silent: app01's own binding is alone again.
    const later = await post(buildReport("app01.contoso.com", [shared], { collectedAt: at(27) }));
    expect(duplicates(later.findings)).toEqual([]);
    expect(later.host.status).toBe("ok");
    // Silence is judged against the report's collectedAt, not the server clock: a third host reporting
    // at hour 20 (app02 heard from 18 hours earlier) still sees both other holders.
    const third = await post(buildReport("app03.contoso.com", [shared], { collectedAt: at(20) }));
    expect(duplicates(third.findings)[0]?.message).toContain(
      "2 other hosts: app01.contoso.com and app02.contoso.com",
    );
  });

  it("in one batch, a holder whose report in the batch is older than the threshold does not count", async () => {
    const batchShared = await issueCertificate(pki, { fqdn: "db01.contoso.com", serialHex: "0d0d02" });
    const [first, second, third] = await postBatch([
      buildReport("db01.contoso.com", [batchShared], { collectedAt: at(0) }),
      buildReport("db02.contoso.com", [batchShared], { collectedAt: at(30) }),
      buildReport("db03.contoso.com", [batchShared], { collectedAt: at(31) }),
    ]);
    expect(duplicates(first?.findings ?? [])).toEqual([]);
    // db01 reported 30 hours before db02: silent for db02's report, so db02 sees no other holder.
    expect(duplicates(second?.findings ?? [])).toEqual([]);
    // db03 sees db02 (one hour earlier) but not db01.
    const [onThird] = duplicates(third?.findings ?? []);
    expect(onThird?.severity).toBe("error");
    expect(onThird?.message).toContain("1 other host: db02.contoso.com");
  });

  it("in a host's second report of a batch (a later round, read again), silent holders do not count", async () => {
    const roundShared = await issueCertificate(pki, { fqdn: "web01.contoso.com", serialHex: "0d0d03" });
    const [, early, late] = await postBatch([
      buildReport("web01.contoso.com", [roundShared], { collectedAt: at(0) }),
      buildReport("web02.contoso.com", [roundShared], { collectedAt: at(1) }),
      buildReport("web02.contoso.com", [roundShared], { collectedAt: at(40) }),
    ]);
    expect(duplicates(early?.findings ?? [])[0]?.message).toContain("web01.contoso.com");
    // web01 last reported 40 hours before web02's second report: silent, so no duplicate any more.
    expect(duplicates(late?.findings ?? [])).toEqual([]);
  });

  it("a host an inventory import retired no longer counts, though it reported within the threshold", async () => {
    const retiring = await issueCertificate(pki, { fqdn: "rt01.contoso.com", serialHex: "0d0d04" });
    const inGroup = (fqdn: string, hours: number) => {
      const report = buildReport(fqdn, [retiring], { collectedAt: at(hours) });
      report.host.managementGroup = "MG-RET";
      return report;
    };
    await importInventory(
      "fqdn,role,managementGroup\nrt01.contoso.com,Agent,MG-RET\nrt02.contoso.com,Agent,MG-RET\n",
    );
    await post(inGroup("rt02.contoso.com", 0));
    const before = await post(inGroup("rt01.contoso.com", 1));
    expect(duplicates(before.findings)[0]?.message).toContain("1 other host: rt02.contoso.com");
    // A newer snapshot of MG-RET no longer lists rt02: retired one hour after it last reported.
    await importInventory("fqdn,role,managementGroup\nrt01.contoso.com,Agent,MG-RET\n");
    const after = await post(inGroup("rt01.contoso.com", 2));
    expect(duplicates(after.findings)).toEqual([]);
  });

  // Issue 13: SCOM's own self-signed certificate in the "Operations Manager" store is never a duplicate;
  // the same self-signed certificate bound from LocalMachine\My still is.
  it("never counts SCOM's self-signed certificate in the Operations Manager store", async () => {
    const own = await createCa({
      subject: "CN=scom01.contoso.com",
      keys: pki.leafKeys,
      notBefore: new Date(T0 - 30 * 24 * HOUR),
      notAfter: new Date(T0 + 3650 * 24 * HOUR),
      serialHex: "5c0f01",
    });
    const parsed = parseCertificate(own.der);
    const selfSigned: IssuedCertificate = {
      base64: Buffer.from(own.der).toString("base64"),
      serialNumber: parsed.serialNumber,
      registryHex: certificateSerialToRegistryHex(parsed.serialNumber),
      sha256: parsed.sha256,
    };
    const inStore = (fqdn: string, store: string, hours: number) => {
      const report = buildReport(fqdn, [selfSigned], { collectedAt: at(hours) });
      report.certificates = report.certificates.map((candidate) => ({ ...candidate, store }));
      return report;
    };
    const OM = "LocalMachine\\Operations Manager";
    await post(inStore("scom01.contoso.com", OM, 0));
    expect(duplicates((await post(inStore("scom02.contoso.com", OM, 1))).findings)).toEqual([]);
    // Bound from LocalMachine\My, the same self-signed certificate is a candidate like any other: duplicate
    // (holders of it in the Operations Manager store are still listed there: Host keeps no store per binding).
    await post(inStore("scom03.contoso.com", "LocalMachine\\My", 2));
    const inMy = await post(inStore("scom04.contoso.com", "LocalMachine\\My", 3));
    expect(duplicates(inMy.findings)[0]?.message).toContain("scom03.contoso.com");
  });
});
