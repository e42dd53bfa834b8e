import {
  childrenOf,
  DerError,
  decodeOid,
  decodeSmallInteger,
  decodeString,
  expectTag,
  readWhole,
  TAG,
} from "./der";
import type { ParsedCertificate } from "./types";

/**
 * Enterprise CA template information. SCOM's own expiry alert only works for certificates that carry it
 * (seed "Renew a Certificate"), so certfleet records it for the template-info rule.
 *
 * - 1.3.6.1.4.1.311.21.7 (v2 templates): CertificateTemplate ::= SEQUENCE {
 *     templateID OBJECT IDENTIFIER, templateMajorVersion INTEGER, templateMinorVersion INTEGER OPTIONAL }
 * - 1.3.6.1.4.1.311.20.2 (v1 templates): the template name, a BMPString such as "Machine".
 */
export type TemplateInfo = NonNullable<ParsedCertificate["template"]>;

function parseV2(value: Uint8Array): Pick<TemplateInfo, "oid" | "majorVersion" | "minorVersion"> {
  const [oid, major, minor] = childrenOf(expectTag(readWhole(value), TAG.SEQUENCE, "CertificateTemplate"));
  return {
    oid: decodeOid(expectTag(oid, TAG.OID, "templateID").content),
    majorVersion: major?.tag === TAG.INTEGER ? decodeSmallInteger(major.content) : null,
    minorVersion: minor?.tag === TAG.INTEGER ? decodeSmallInteger(minor.content) : null,
  };
}

function parseV1(value: Uint8Array): string | null {
  return decodeString(readWhole(value));
}

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (error) {
    // A malformed template extension is still a template extension: keep the parts we could read.
    if (error instanceof DerError) return null;
    throw error;
  }
}

/** Combines both extensions; null when the certificate carries neither. */
export function readTemplateInfo(
  v2Value: Uint8Array | null,
  v1Value: Uint8Array | null,
): TemplateInfo | null {
  if (!v2Value && !v1Value) return null;
  const v2 = v2Value ? attempt(() => parseV2(v2Value)) : null;
  const name = v1Value ? attempt(() => parseV1(v1Value)) : null;
  return {
    oid: v2?.oid ?? null,
    name,
    majorVersion: v2?.majorVersion ?? null,
    minorVersion: v2?.minorVersion ?? null,
  };
}
