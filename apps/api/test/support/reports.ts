import type { Report } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate } from "@certfleet/core";
import { createLeaf, createTestIssuer, HEALTHY_FACTS, type TestIssuer } from "@certfleet/core/testing";

const DAY = 24 * 60 * 60 * 1000;

/** One issuing CA and one leaf key pair per test file: RSA key generation is the slow part. */
export type Pki = TestIssuer;

export const createPki = (): Promise<Pki> => createTestIssuer("CN=Contoso Issuing CA, O=Contoso");

export interface IssuedCertificate {
  base64: string;
  /** The certificate's serial as DER encodes it (upper-case hex). */
  serialNumber: string;
  /** What MOMCertImport writes to the registry for it (byte-reversed). */
  registryHex: string;
  sha256: string;
}

export async function issueCertificate(
  pki: Pki,
  options: {
    fqdn: string;
    serialHex: string;
    notBefore?: Date;
    notAfter?: Date;
    signatureHash?: "SHA-1" | "SHA-256";
  },
): Promise<IssuedCertificate> {
  const der = await createLeaf(pki.issuer, {
    keys: pki.leafKeys,
    subject: `CN=${options.fqdn}`,
    serialHex: options.serialHex,
    notBefore: options.notBefore ?? new Date(Date.now() - 30 * DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
    signatureHash: options.signatureHash ?? "SHA-256",
    templateV2: { oid: "1.3.6.1.4.1.311.21.8.1.2.3", major: 100, minor: 4 },
  });
  const parsed = parseCertificate(der);
  return {
    base64: Buffer.from(der).toString("base64"),
    serialNumber: parsed.serialNumber,
    registryHex: certificateSerialToRegistryHex(parsed.serialNumber),
    sha256: parsed.sha256,
  };
}

export function buildReport(
  fqdn: string,
  certificates: IssuedCertificate[],
  overrides: { bound?: IssuedCertificate | null; collectedAt?: string; events?: Report["events"] } = {},
): Report {
  const bound = overrides.bound === undefined ? certificates[0] : overrides.bound;
  const collectedAt = overrides.collectedAt ?? new Date().toISOString();
  return {
    schemaVersion: 1,
    collectedAt,
    host: {
      fqdn,
      role: "ManagementServer",
      managementGroup: "MG-PROD",
      domainJoined: true,
      primaryServer: null,
    },
    registry: { channelCertificateSerialNumber: bound?.registryHex ?? null, channelCertificateHash: null },
    certificates: certificates.map((certificate) => ({ der: certificate.base64, ...HEALTHY_FACTS })),
    events: overrides.events ?? [
      {
        id: 20053,
        time: new Date(Date.parse(collectedAt) - 60_000).toISOString(),
        message: "certificate loaded",
      },
    ],
  };
}

/** Replaces the DER text of one candidate certificate (to send broken or forbidden content). */
export function withDer(report: Report, index: number, der: string): void {
  const candidate = report.certificates[index];
  if (!candidate) throw new Error(`the report has no certificates[${index}]`);
  report.certificates[index] = { ...candidate, der };
}
