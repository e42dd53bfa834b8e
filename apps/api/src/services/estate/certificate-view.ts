import type { CertificateDetail, CertificateSummary } from "@certfleet/contracts";
import { daysUntil, expiryBucket, type ParsedCertificate } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../../problem";

/** The stored parse of a certificate as the API shows it. */
export function certificateSummary(parsed: ParsedCertificate, now: Date): CertificateSummary {
  return {
    sha256: parsed.sha256,
    thumbprint: parsed.thumbprint,
    serialNumber: parsed.serialNumber,
    subject: parsed.subject,
    issuer: parsed.issuer,
    dnsNames: parsed.dnsNames,
    notBefore: new Date(parsed.notBefore).toISOString(),
    notAfter: new Date(parsed.notAfter).toISOString(),
    daysLeft: daysUntil(parsed.notAfter, now),
    expiry: expiryBucket(parsed.notAfter, now),
    publicKeyAlgorithm: parsed.publicKeyAlgorithm,
    publicKeySize: parsed.publicKeySize,
    signatureAlgorithm: parsed.signatureAlgorithm,
    templateName: parsed.template?.name ?? null,
    templateOid: parsed.template?.oid ?? null,
  };
}

export const asParsed = (json: unknown) => json as ParsedCertificate;

export async function certificateDetail(db: Database, sha256: string, now: Date): Promise<CertificateDetail> {
  const row = await db.certificate.findUnique({
    where: { sha256: sha256.toLowerCase() },
    select: {
      sha256: true,
      parsed: true,
      heldBy: {
        select: {
          firstSeenAt: true,
          lastSeenAt: true,
          host: { select: { fqdn: true, role: true, status: true, boundCertificateSha256: true } },
        },
        orderBy: { host: { fqdn: "asc" } },
        take: 1000,
      },
    },
  });
  if (!row) throw notFound(sha256);
  const parsed = asParsed(row.parsed);
  return {
    certificate: {
      ...certificateSummary(parsed, now),
      subjectCommonName: parsed.subjectCommonName,
      extendedKeyUsages: parsed.extendedKeyUsages,
      keyUsage: parsed.keyUsage,
      signatureHash: parsed.signatureHash,
      isCa: parsed.isCa,
      templateMajorVersion: parsed.template?.majorVersion ?? null,
      templateMinorVersion: parsed.template?.minorVersion ?? null,
    },
    hosts: row.heldBy.map(({ host, firstSeenAt, lastSeenAt }) => ({
      fqdn: host.fqdn,
      role: host.role,
      status: host.status,
      bound: host.boundCertificateSha256 === row.sha256,
      firstSeenAt: firstSeenAt.toISOString(),
      lastSeenAt: lastSeenAt.toISOString(),
    })),
    downloads: {
      pem: `/api/v1/certificates/${row.sha256}/pem`,
      der: `/api/v1/certificates/${row.sha256}/der`,
    },
  };
}

/** The public certificate only: certfleet never has a private key to give out. */
export async function certificateDer(
  db: Database,
  sha256: string,
): Promise<{ der: Buffer; thumbprint: string }> {
  const row = await db.certificate.findUnique({
    where: { sha256: sha256.toLowerCase() },
    select: { der: true, thumbprint: true },
  });
  if (!row) throw notFound(sha256);
  return { der: Buffer.from(row.der), thumbprint: row.thumbprint };
}

export function toPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

function notFound(sha256: string): ProblemError {
  return new ProblemError(
    404,
    "Certificate not found",
    `No certificate with SHA-256 ${sha256} has been reported.`,
  );
}
