// Reports for the renewal-task tests: a host whose certificate nears expiry, then the renewed one
// imported (registry serial pointing at it) and confirmed by event 20053 — posted as a collector would.
import { randomBytes } from "node:crypto";
import type { Report } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate } from "@certfleet/core";
import { createLeaf, HEALTHY_FACTS } from "@certfleet/core/testing";
import type { LivePki } from "./live";

const DAY = 86_400_000;

export interface Issued {
  base64: string;
  serialNumber: string;
}

export async function issueExpiringIn(pki: LivePki, fqdn: string, days: number): Promise<Issued> {
  const der = await createLeaf(pki.issuer, {
    keys: pki.leafKeys,
    subject: `CN=${fqdn}`,
    serialHex: `2A${randomBytes(18).toString("hex")}`,
    notBefore: new Date(Date.now() - 300 * DAY),
    notAfter: new Date(Date.now() + days * DAY),
    templateV2: { oid: "1.3.6.1.4.1.311.21.8.9.9", major: 100, minor: 1 },
  });
  return { base64: Buffer.from(der).toString("base64"), serialNumber: parseCertificate(der).serialNumber };
}

/**
 * The host's store holds `store`; MOMCertImport bound `bound`; the connector last logged 20053, 30 seconds
 * before the collector ran unless `loadedAt` says when.
 */
export function renewalReport(
  fqdn: string,
  store: Issued[],
  bound: Issued,
  loadedAt = new Date(Date.now() - 30_000),
): Report {
  const collectedAt = new Date().toISOString();
  return {
    schemaVersion: 1,
    collectedAt,
    host: { fqdn, role: "Gateway", managementGroup: "MG-E2E-TASKS", domainJoined: true, primaryServer: null },
    registry: { channelCertificateSerialNumber: certificateSerialToRegistryHex(bound.serialNumber) },
    certificates: store.map((certificate) => ({ der: certificate.base64, ...HEALTHY_FACTS })),
    events: [{ id: 20053, time: loadedAt.toISOString(), message: "certificate loaded" }],
  };
}
