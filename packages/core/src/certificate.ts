// @peculiar/x509 uses decorators that need the Reflect metadata API; it must be loaded first.
import "reflect-metadata";
import { createHash } from "node:crypto";
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  type Extension,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
} from "@peculiar/x509";
import { readCertificateStructure } from "./certificate-structure";
import { assertDerWithinLimits } from "./der";
import { OID } from "./oids";
import { detectPrivateKeyMaterial } from "./private-key";
import { readTemplateInfo } from "./template";
import type { ParsedCertificate } from "./types";

export { detectPrivateKeyMaterial, type PrivateKeyMaterial } from "./private-key";

export type CertificateParseErrorReason = "empty" | "private-key" | "pem" | "malformed";

/** Thrown for anything that is not one DER X.509 certificate. `reason` lets the API pick its problem type. */
export class CertificateParseError extends Error {
  override readonly name = "CertificateParseError";
  constructor(
    message: string,
    readonly reason: CertificateParseErrorReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * X.509 KeyUsage bit n (RFC 5280: digitalSignature = bit 0) is the n-th most significant bit of the
 * BIT STRING. @peculiar/x509 numbers them from the least significant end (digitalSignature = 1,
 * nonRepudiation = 2, keyEncipherment = 4 ... decipherOnly = 256); Windows shows the octets as they are
 * encoded (digitalSignature = 0x80, keyEncipherment = 0x20, decipherOnly = 0x8000), which is what the
 * seed's "KeyUsage = 0xf0" and SCOM's messages use.
 */
export function windowsKeyUsageFromX509Flags(flags: number): number {
  let windows = 0;
  for (let bit = 0; bit < 8; bit++) if (flags & (1 << bit)) windows |= 0x80 >> bit;
  if (flags & (1 << 8)) windows |= 0x8000; // decipherOnly: first bit of the second octet
  return windows;
}

function digest(algorithm: "sha256" | "sha1", der: Uint8Array): string {
  return createHash(algorithm).update(der).digest("hex");
}

function extensionValue(extensions: Extension[], oid: string): Uint8Array | null {
  const found = extensions.find((e) => e.type === oid);
  return found ? new Uint8Array(found.value) : null;
}

function looksLikePem(der: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(der.subarray(0, 64));
  return head.trimStart().startsWith("-----BEGIN");
}

function refuseNonCertificates(der: Uint8Array): void {
  if (der.length === 0) throw new CertificateParseError("empty input: expected a DER certificate", "empty");
  const privateKey = detectPrivateKeyMaterial(der);
  if (privateKey) {
    throw new CertificateParseError(
      `input is private key material (${privateKey}), not a certificate; send the public certificate only`,
      "private-key",
    );
  }
  if (looksLikePem(der)) {
    throw new CertificateParseError("input is PEM text; send the DER bytes (base64 of DER in JSON)", "pem");
  }
}

/** Reads the parts @peculiar/x509 is good at: names, dates and the standard extensions. */
function readWithX509(der: Uint8Array) {
  const cert = new X509Certificate(der);
  const extensions = cert.extensions;
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  const eku = cert.getExtension(ExtendedKeyUsageExtension);
  const keyUsage = cert.getExtension(KeyUsagesExtension);
  const basic = cert.getExtension(BasicConstraintsExtension);
  return {
    subject: cert.subject,
    subjectCommonName: cert.subjectName.getField("CN")[0] ?? null,
    issuer: cert.issuer,
    dnsNames: san ? san.names.toJSON().flatMap((n) => (n.type === "dns" ? [n.value] : [])) : [],
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    // Array.from: x509 returns an Array subclass, and ParsedCertificate must be plain JSON data.
    extendedKeyUsages: eku ? Array.from(eku.usages, String) : null,
    keyUsage: keyUsage ? windowsKeyUsageFromX509Flags(keyUsage.usages) : null,
    isCa: basic?.ca ?? false,
    template: readTemplateInfo(
      extensionValue(extensions, OID.msCertificateTemplate),
      extensionValue(extensions, OID.msEnrollCertType),
    ),
  };
}

/**
 * Parses one DER X.509 certificate into the plain data certfleet stores and evaluates. Pure: no clock, no
 * I/O (node:crypto only hashes). Throws CertificateParseError for anything else, private keys included.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  refuseNonCertificates(der);
  try {
    // Before any full ASN.1 parse: a 40 KB OID in a name would otherwise be parsed and stored as text.
    assertDerWithinLimits(der);
    const structure = readCertificateStructure(der);
    const fields = readWithX509(der);
    return {
      sha256: digest("sha256", der).toLowerCase(),
      thumbprint: digest("sha1", der).toUpperCase(),
      serialNumber: structure.serialHex,
      subject: fields.subject,
      subjectCommonName: fields.subjectCommonName,
      issuer: fields.issuer,
      dnsNames: fields.dnsNames,
      notBefore: fields.notBefore,
      notAfter: fields.notAfter,
      publicKeyAlgorithm: structure.publicKeyAlgorithm,
      publicKeySize: structure.publicKeySize,
      signatureAlgorithm: structure.signatureAlgorithm,
      signatureHash: structure.signatureHash,
      extendedKeyUsages: fields.extendedKeyUsages,
      keyUsage: fields.keyUsage,
      isCa: fields.isCa,
      template: fields.template,
    };
  } catch (error) {
    if (error instanceof CertificateParseError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new CertificateParseError(`not an X.509 certificate: ${detail}`, "malformed", { cause: error });
  }
}
