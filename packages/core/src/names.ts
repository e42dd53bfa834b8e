import type { HostIdentity, ParsedCertificate } from "./types";

/**
 * Which name SCOM reads, and whether it names the host (ARCHITECTURE rule subject-fqdn; seed "Certificate
 * Requirements" and the Certificate Manager Subject tab: "If using alternative names in place of a Subject,
 * the *first* name must match the hostname or BIOS name").
 */
export interface ScomName {
  name: string;
  source: "first DNS name of the SubjectAltName" | "subject CN";
}

/** The first DNS SAN when the certificate has one, else the subject CN; null when it has neither. */
export function nameScomReads(certificate: ParsedCertificate): ScomName | null {
  const [firstDns] = certificate.dnsNames;
  if (firstDns !== undefined) return { name: firstDns, source: "first DNS name of the SubjectAltName" };
  if (certificate.subjectCommonName) return { name: certificate.subjectCommonName, source: "subject CN" };
  return null;
}

/** Lower case, one trailing root dot removed ("ms01.contoso.com." is the same DNS name). */
export function normalizeHostName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  return trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
}

/** The NetBIOS-style short name: the first label of the FQDN. */
export function shortHostName(fqdn: string): string {
  return normalizeHostName(fqdn).split(".")[0] ?? "";
}

export type HostNameMatch = "fqdn" | "netbios" | "netbios-on-domain-host" | "mismatch";

/**
 * Whole-name comparison, never a substring: "ms01.contoso.com.evil.com" and "xms01.contoso.com" do not name
 * ms01.contoso.com. The short name is accepted only on hosts that are not domain-joined (workgroup and DMZ
 * machines are where the seed's "hostname or BIOS name" applies).
 */
export function matchHostName(
  name: string,
  host: Pick<HostIdentity, "fqdn" | "domainJoined">,
): HostNameMatch {
  const candidate = normalizeHostName(name);
  if (candidate.length > 0 && candidate === normalizeHostName(host.fqdn)) return "fqdn";
  const short = shortHostName(host.fqdn);
  if (candidate.includes(".") || candidate !== short || short.length === 0) return "mismatch";
  return host.domainJoined ? "netbios-on-domain-host" : "netbios";
}

/** True when SCOM would accept the certificate's name for this host. */
export function certificateNamesHost(certificate: ParsedCertificate, host: HostIdentity): boolean {
  const read = nameScomReads(certificate);
  if (!read) return false;
  const match = matchHostName(read.name, host);
  return match === "fqdn" || match === "netbios";
}

/**
 * Distinguished names as compared between a certificate's issuer and a CA's subject. @peculiar/x509
 * prints both the same way, so this only absorbs case and spacing differences around separators.
 */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .toLowerCase()
    .replace(/\s*([,=+])\s*/g, "$1")
    .replace(/\s+/g, " ");
}

export function sameDn(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
}
