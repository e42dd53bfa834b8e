import {
  type HostNameMatch,
  knownHostNames,
  matchHostName,
  nameMatches,
  nameScomReads,
  subjectCommonNamesOf,
} from "../names";
import type { HostIdentity } from "../types";
import { type CertificateRule, finding, listOf } from "./context";

/** How the message names what the host is known by (certfleet's name, or the computer's own DNS name). */
function knownAs(host: HostIdentity): string {
  const known = knownHostNames(host);
  if (known.fqdnSource === "fqdn") return `the host's FQDN "${known.fqdn}"`;
  if (known.fqdnSource === "dnsHostName")
    return `the computer's own DNS name "${known.fqdn}" (certfleet knows the host as "${host.fqdn}")`;
  return `the host's name "${host.fqdn}"`;
}

/** The concrete fix: a certificate for the name the host is known by. */
function requestFor(host: HostIdentity): string {
  const name = knownHostNames(host).fqdn ?? host.fqdn;
  return `Request a new certificate with Subject "CN=${name}" and one CN only (if it has SubjectAltNames, "${name}" as the first DNS name); then import it with MOMCertImport.`;
}

function netbiosNote(match: HostNameMatch, host: HostIdentity): string {
  if (match !== "netbios-on-fqdn-host") return "";
  return `; a NetBIOS (single-label) name is accepted only on a host known by that single-label name, and this host is known by the FQDN "${knownHostNames(host).fqdn}", which the certificate must name`;
}

/**
 * subject-fqdn (seed "Certificate Requirements": Subject "CN=server.contoso.com", "the FQDN of the target,
 * or how the system shows in DNS"; Certificate Manager Subject tab: "If using alternative names in place of
 * a Subject, the *first* name must match the hostname or BIOS name"). The name SCOM reads is the first DNS
 * SubjectAltName when there is one, else the subject CN, and it must be a name the host is known by
 * (names.ts). Several CNs without a DNS SubjectAltName leave which one is compared unknown (issue 13): an
 * error when none names the host, else a warning, whatever their order.
 */
export const subjectFqdnRule: CertificateRule = ({ certificate, input }) => {
  const { host } = input;
  const commonNames = subjectCommonNamesOf(certificate);
  if (certificate.dnsNames.length === 0 && commonNames.length > 1) {
    const listed = listOf(commonNames.map((cn) => `"${cn}"`));
    const naming = commonNames.filter((cn) => nameMatches(matchHostName(cn, host)));
    const several = `the subject has ${commonNames.length} CNs (${listed}) and no DNS SubjectAltName`;
    if (naming.length === 0) {
      return [
        finding(
          "subject-fqdn",
          "error",
          `${several}, and none of them is ${knownAs(host)}`,
          requestFor(host),
        ),
      ];
    }
    const which =
      naming.length === commonNames.length
        ? "each of them names this host"
        : `only ${listOf(naming.map((cn) => `"${cn}"`))} ${naming.length === 1 ? "is" : "are"} ${knownAs(host)}`;
    return [
      finding(
        "subject-fqdn",
        "warning",
        `${several}: certfleet cannot tell which one SCOM compares with the host's name, and ${which}`,
        requestFor(host),
      ),
    ];
  }
  const read = nameScomReads(certificate);
  if (!read) {
    return [
      finding(
        "subject-fqdn",
        "error",
        `the certificate has neither a subject CN nor a DNS SubjectAltName (subject "${certificate.subject}"); SCOM needs ${knownAs(host)}`,
        requestFor(host),
      ),
    ];
  }
  const match = matchHostName(read.name, host);
  if (nameMatches(match)) return [];
  const [firstCn] = commonNames;
  const unreadCn =
    read.source !== "subject CN" && firstCn
      ? ` (the subject CN "${firstCn}" is not what SCOM reads when SubjectAltNames exist)`
      : "";
  return [
    finding(
      "subject-fqdn",
      "error",
      `the name SCOM reads is "${read.name}" (${read.source}), not ${knownAs(host)}${netbiosNote(match, host)}${unreadCn}`,
      requestFor(host),
    ),
  ];
};
