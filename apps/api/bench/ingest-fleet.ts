/**
 * A synthetic fleet for the ingest benchmark: one real signed certificate per run as a template, and
 * per host a copy with the host's number patched into its subject CN and serial. Patching keeps every
 * length, so each copy is a well-formed, distinct certificate (its own SHA-256, serial and name) at no
 * cost; only its signature no longer verifies, which ingest never checks without trust anchors.
 * Signing 200,000 certificates would take minutes of CPU before the measurement even starts.
 */
import type { Report } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate } from "@certfleet/core";
import { HEALTHY_FACTS } from "@certfleet/core/testing";
import { createPki, issueCertificate } from "../test/support/reports";

/** Host numbers are six digits: up to 1,000,000 hosts. */
const DIGITS = 6;
const PLACEHOLDER = "0".repeat(DIGITS);
/** Marks where the host number goes in the serial: 1f 5eed <4 bytes> a0b0c0d0e0f0. */
const SERIAL_PREFIX = "1f5eed";
const SERIAL_SUFFIX = "a0b0c0d0e0f0";

export const hostName = (i: number): string => `agent${String(i).padStart(DIGITS, "0")}.bench.contoso.com`;

export interface Fleet {
  /** Base64 DER of host i's certificate. */
  certificate(i: number): string;
  /** Registry value (mirrored serial) naming host i's certificate. */
  registryHex(i: number): string;
  /** A report for host i, collected at `collectedAt`. */
  report(i: number, collectedAt: Date): Report;
}

export async function createFleet(): Promise<Fleet> {
  const pki = await createPki();
  const template = await issueCertificate(pki, {
    fqdn: hostName(0),
    serialHex: `${SERIAL_PREFIX}00000000${SERIAL_SUFFIX}`,
    notBefore: new Date(Date.now() - 30 * 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
  });
  const der = Buffer.from(template.base64, "base64");
  const nameAt = offsetsOf(der, Buffer.from(`agent${PLACEHOLDER}.`, "ascii")).map((at) => at + 5);
  const serialAt = offsetsOf(der, Buffer.from(`${SERIAL_PREFIX}00000000${SERIAL_SUFFIX}`, "hex")).map(
    (at) => at + SERIAL_PREFIX.length / 2,
  );
  if (nameAt.length === 0 || serialAt.length !== 1)
    throw new Error("the template certificate has no placeholders");

  const patched = (i: number): Buffer => {
    const copy = Buffer.from(der);
    for (const at of nameAt) copy.write(String(i).padStart(DIGITS, "0"), at, "ascii");
    copy.writeUInt32BE(i, serialAt[0] as number);
    return copy;
  };
  // Check once that a patched copy is the certificate we mean.
  const probe = parseCertificate(patched(123_456));
  if (!probe.subject.includes(hostName(123_456))) throw new Error(`patched subject is ${probe.subject}`);

  const registryHex = (i: number) =>
    certificateSerialToRegistryHex(
      `${SERIAL_PREFIX}${i.toString(16).padStart(8, "0")}${SERIAL_SUFFIX}`.toUpperCase(),
    );
  if (registryHex(123_456) !== certificateSerialToRegistryHex(probe.serialNumber)) {
    throw new Error(`patched serial is ${probe.serialNumber}`);
  }
  const certificate = (i: number) => patched(i).toString("base64");
  return {
    certificate,
    registryHex,
    report: (i, collectedAt) => ({
      schemaVersion: 1,
      collectedAt: collectedAt.toISOString(),
      host: {
        fqdn: hostName(i),
        role: "Agent",
        managementGroup: `MG-${i % 3}`,
        domainJoined: true,
        primaryServer: "ms01.contoso.com",
      },
      registry: { channelCertificateSerialNumber: registryHex(i), channelCertificateHash: null },
      certificates: [{ der: certificate(i), ...HEALTHY_FACTS }],
      events: [
        {
          id: 20053,
          time: new Date(collectedAt.getTime() - 60_000).toISOString(),
          message: "certificate loaded",
        },
      ],
    }),
  };
}

function offsetsOf(haystack: Buffer, needle: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) offsets.push(at);
  return offsets;
}
