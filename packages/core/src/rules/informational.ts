import { DAY_MS, formatDay } from "../expiry";
import { sameDn } from "../names";
import type { ParsedCertificate } from "../types";
import { type CertificateRule, finding } from "./context";

/**
 * template-info (seed "Renew a Certificate": "Operations Manager generates an alert when an imported
 * certificate for Management Servers and Gateways is nearing expiration ... This alert functionality only
 * works if the certificate contains template information from an Enterprise CA"). Info only: the
 * certificate works. The seed documents the alert for servers and says nothing of agents, so the message
 * says what is documented and claims nothing about agents (issue 13).
 */
export const templateInfoRule: CertificateRule = ({ certificate, input }) => {
  if (certificate.template !== null) return [];
  const expires = formatDay(certificate.notAfter);
  const documented =
    "Microsoft documents SCOM's own expiry alert for Management Servers and Gateways, and only for certificates carrying that information";
  const consequence =
    input.host.role === "Agent"
      ? `so for this Agent rely on certfleet's expiry warning (the certificate expires ${expires})`
      : `so this ${input.host.role === "Gateway" ? "Gateway" : "Management Server"} will not get that alert; certfleet warns before the certificate expires ${expires}`;
  return [
    finding(
      "template-info",
      "info",
      `the certificate has no Enterprise CA template information (neither a template name nor a template extension); ${documented}, ${consequence}`,
    ),
  ];
};

/**
 * The issuing CA among the known CA certificates: subject equal to the certificate's issuer. With several
 * generations of the same CA, the one valid when the certificate was issued, else the longest-lived.
 */
function findIssuer(
  certificate: ParsedCertificate,
  candidates: ParsedCertificate[],
): ParsedCertificate | null {
  const issued = Date.parse(certificate.notBefore);
  const matching = candidates
    .filter((c) => c.sha256 !== certificate.sha256 && sameDn(c.subject, certificate.issuer))
    .sort((a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter) || a.sha256.localeCompare(b.sha256));
  return (
    matching.find((c) => Date.parse(c.notBefore) <= issued && issued <= Date.parse(c.notAfter)) ??
    matching[0] ??
    null
  );
}

/**
 * lifetime (seed, template General tab: "The recommendation for validity is to not exceed one-half the life
 * of the CA issuing the certificate. (For example: Four year sub CA, max two year lifetime for the cert.)").
 * Measured against the issuing CA's whole validity period, as the seed words it (issue 13). Silent when
 * the issuing CA is not known.
 */
export const lifetimeRule: CertificateRule = ({ certificate, input }) => {
  const issuer = findIssuer(certificate, input.issuerCandidates);
  if (!issuer) return [];
  const lifetime = Date.parse(certificate.notAfter) - Date.parse(certificate.notBefore);
  const caLifetime = Date.parse(issuer.notAfter) - Date.parse(issuer.notBefore);
  if (lifetime <= caLifetime / 2) return [];
  const days = (ms: number): number => Math.round(ms / DAY_MS);
  return [
    finding(
      "lifetime",
      "info",
      `the certificate is valid for ${days(lifetime)} days (${formatDay(certificate.notBefore)} to ${formatDay(certificate.notAfter)}), more than half the life of the issuing CA "${issuer.subject}" (${days(caLifetime)} days, ${formatDay(issuer.notBefore)} to ${formatDay(issuer.notAfter)}); Microsoft recommends at most half, here ${Math.floor(days(caLifetime) / 2)} days`,
    ),
  ];
};
