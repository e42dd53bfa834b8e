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

/** The first DNS SAN when the certificate has one, else the (first) subject CN; null when it has neither. */
export function nameScomReads(certificate: ParsedCertificate): ScomName | null {
  const [firstDns] = certificate.dnsNames;
  if (firstDns !== undefined) return { name: firstDns, source: "first DNS name of the SubjectAltName" };
  const [firstCn] = subjectCommonNamesOf(certificate);
  if (firstCn) return { name: firstCn, source: "subject CN" };
  return null;
}

/** A value of a printed name with x509-name.ts's backslash escapes undone ("\," and "\0D" alike). */
function unescapeDnValue(value: string): string {
  const hexForm = value.startsWith("#") ? value.slice(1) : value;
  return hexForm.replace(/\\([0-9A-Fa-f]{2}|[\s\S])/g, (_, escaped: string) =>
    escaped.length === 2 ? String.fromCharCode(Number.parseInt(escaped, 16)) : escaped,
  );
}

/** The CN values of a subject printed as x509-name.ts prints it ("CN=a, CN=b, O=x"), in order. */
export function commonNamesInPrintedDn(dn: string): string[] {
  const attributes: string[] = [];
  let current = "";
  for (let i = 0; i < dn.length; i++) {
    const character = dn[i] ?? "";
    if (character === "\\" && i + 1 < dn.length) {
      current += character + (dn[i + 1] ?? "");
      i++;
    } else if (character === "," || character === "+") {
      attributes.push(current);
      current = "";
    } else {
      current += character;
    }
  }
  attributes.push(current);
  return attributes.flatMap((attribute) => {
    // RDNs are joined by ", "; a value's own leading space is escaped, so trimming here is safe.
    const trimmed = attribute.replace(/^ +/, "");
    const equals = trimmed.indexOf("=");
    return equals > 0 && trimmed.slice(0, equals).toUpperCase() === "CN"
      ? [unescapeDnValue(trimmed.slice(equals + 1))]
      : [];
  });
}

/**
 * Every subject CN, in order. Parses stored before issue 13 have only the first CN: their CNs are read back
 * from the stored subject text, and if that disagrees with the stored first CN, the first CN alone is used.
 */
export function subjectCommonNamesOf(certificate: ParsedCertificate): string[] {
  if (certificate.subjectCommonNames) return certificate.subjectCommonNames;
  const first = certificate.subjectCommonName;
  const printed = commonNamesInPrintedDn(certificate.subject);
  if (first !== null && printed[0] === first) return printed;
  return first === null ? [] : [first];
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

const isSingleLabel = (name: string): boolean => name.length > 0 && !name.includes(".");

/** The names a host is known by, which its certificate may carry (issue 13; seed Subject tab). */
export interface KnownHostNames {
  /** Normalised names SCOM accepts for this host. */
  accepted: string[];
  /** The FQDN the host is known by, or null when it is known only by a single-label name. */
  fqdn: string | null;
  /** Where that FQDN comes from: certfleet's host name, or the computer's own DNS name (contract 1.1). */
  fqdnSource: "fqdn" | "dnsHostName" | null;
}

/**
 * A host known by an FQDN (certfleet's name for it, else the DNS name the computer reports for itself)
 * needs that FQDN. Only a host known by a single-label name, a workgroup computer without a DNS suffix
 * whose reported DNS name is single-label too, may be named by that single label (the seed's "hostname or
 * BIOS name"): domain membership alone no longer decides.
 */
export function knownHostNames(host: Pick<HostIdentity, "fqdn" | "dnsHostName">): KnownHostNames {
  const fqdn = normalizeHostName(host.fqdn);
  const own = host.dnsHostName ? normalizeHostName(host.dnsHostName) : "";
  if (fqdn && !isSingleLabel(fqdn)) return { accepted: [fqdn], fqdn, fqdnSource: "fqdn" };
  if (own && !isSingleLabel(own)) return { accepted: [own], fqdn: own, fqdnSource: "dnsHostName" };
  return { accepted: [...new Set([fqdn, own].filter(Boolean))], fqdn: null, fqdnSource: null };
}

export type HostNameMatch = "fqdn" | "netbios" | "netbios-on-fqdn-host" | "mismatch";

/**
 * Whole-name comparison, never a substring: "ms01.contoso.com.evil.com" and "xms01.contoso.com" do not name
 * ms01.contoso.com. "netbios-on-fqdn-host": the first label of the FQDN the host is known by.
 */
export function matchHostName(name: string, host: Pick<HostIdentity, "fqdn" | "dnsHostName">): HostNameMatch {
  const candidate = normalizeHostName(name);
  const known = knownHostNames(host);
  if (candidate.length > 0 && known.accepted.includes(candidate))
    return isSingleLabel(candidate) ? "netbios" : "fqdn";
  if (known.fqdn && isSingleLabel(candidate) && candidate === shortHostName(known.fqdn))
    return "netbios-on-fqdn-host";
  return "mismatch";
}

export const nameMatches = (match: HostNameMatch): boolean => match === "fqdn" || match === "netbios";

/**
 * True when SCOM would accept the certificate's name for this host (the subject-fqdn rule has no error):
 * with several CNs and no DNS SAN, one of them must name the host.
 */
export function certificateNamesHost(certificate: ParsedCertificate, host: HostIdentity): boolean {
  const commonNames = subjectCommonNamesOf(certificate);
  if (certificate.dnsNames.length === 0 && commonNames.length > 1)
    return commonNames.some((cn) => nameMatches(matchHostName(cn, host)));
  const read = nameScomReads(certificate);
  return read !== null && nameMatches(matchHostName(read.name, host));
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
