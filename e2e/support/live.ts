// Reports for the live-update tests: one host flipped between healthy and broken (a KSP-held key,
// which SCOM refuses) by posting through the public API, as a collector would.
import { randomBytes } from "node:crypto";
import type { IngestResult, Report } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate } from "@certfleet/core";
import { createLeaf, createTestIssuer, HEALTHY_FACTS, type TestIssuer } from "@certfleet/core/testing";
import { COLLECTOR_TOKEN, EMBEDDED_PG_PORT } from "./env";

const DAY = 86_400_000;

export type LivePki = TestIssuer;

export const createLivePki = (): Promise<LivePki> => createTestIssuer("CN=Live E2E CA");

/** A report for `fqdn`: status ok, or error (key in a KSP) when `broken`. Each call is a new collection. */
export async function liveReport(pki: LivePki, fqdn: string, broken: boolean): Promise<Report> {
  const der = await createLeaf(pki.issuer, {
    keys: pki.leafKeys,
    subject: `CN=${fqdn}`,
    serialHex: `1F${randomBytes(18).toString("hex")}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 400 * DAY),
    templateV2: { oid: "1.3.6.1.4.1.311.21.8.9.9", major: 100, minor: 1 },
  });
  const serial = parseCertificate(der).serialNumber;
  const facts = broken
    ? {
        ...HEALTHY_FACTS,
        keyProviderType: "KSP" as const,
        keyProvider: "Microsoft Software Key Storage Provider",
      }
    : HEALTHY_FACTS;
  const collectedAt = new Date().toISOString();
  return {
    schemaVersion: 1,
    collectedAt,
    host: { fqdn, role: "Agent", managementGroup: "MG-E2E-LIVE", domainJoined: true, primaryServer: null },
    registry: { channelCertificateSerialNumber: certificateSerialToRegistryHex(serial) },
    certificates: [{ der: Buffer.from(der).toString("base64"), ...facts }],
    events: [{ id: 20053, time: collectedAt, message: "certificate loaded" }],
  };
}

export async function postReport(apiBase: string, report: Report): Promise<IngestResult> {
  const response = await fetch(`${apiBase}/api/v1/reports`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${COLLECTOR_TOKEN}` },
    body: JSON.stringify(report),
  });
  if (response.status !== 201) throw new Error(`POST report: ${response.status} ${await response.text()}`);
  return (await response.json()) as IngestResult;
}

/** The database the e2e stack runs on (see playwright.config.ts), so a second API can join it. */
export async function stackDatabaseUrl(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const path = await import("node:path");
  const server = process.env.DATABASE_URL;
  const database = process.env.CERTFLEET_E2E_DATABASE;
  if (server && database) {
    const url = new URL(server);
    url.pathname = `/${database}`;
    return url.toString();
  }
  const dataDir = process.env.CERTFLEET_E2E_DATA_DIR;
  if (!dataDir) throw new Error("the e2e stack's data dir is unknown (CERTFLEET_E2E_DATA_DIR)");
  const credentials = JSON.parse(await readFile(path.join(dataDir, "embedded-postgres.json"), "utf8")) as {
    user: string;
    password: string;
  };
  return `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${EMBEDDED_PG_PORT}/certfleet`;
}
