import { DAY_MS, formatDay } from "../expiry";
import { sameDn } from "../names";
import type { ParsedCertificate } from "../types";
import { type CertificateRule, finding } from "./context";

/**
 * template-info (seed "Renew a Certificate": SCOM alerts on expiring certificates of Management Servers and
 * Gateways, and "only works if the certificate contains template information from an Enterprise CA").
 * Info only: the certificate works; certfleet is what watches its expiry.
 */
export const templateInfoRule: CertificateRule = ({ certificate, input }) => {
  if (certificate.template !== null) return [];
  const scope =
    input.host.role === "Agent"
      ? "SCOM's own expiry alert covers only Management Servers and Gateways with Enterprise CA template info, so for this Agent the expiry is watched by certfleet alone"
      : `SCOM will not raise its own expiry alert for this ${input.host.role === "Gateway" ? "Gateway" : "Management Server"}; its expiry is watched by certfleet alone`;
  return [
    finding("template-info", "info", `the certificate has no Enterprise CA template information; ${scope}`),
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
 * of the CA issuing the certificate"). Measured against the CA's remaining life when the certificate was
 * issued. Silent when the issuing CA is not known.
 */
export const lifetimeRule: CertificateRule = ({ certificate, input }) => {
  const issuer = findIssuer(certificate, input.issuerCandidates);
  if (!issuer) return [];
  const issued = Date.parse(certificate.notBefore);
  const lifetime = Date.parse(certificate.notAfter) - issued;
  const caRemaining = Date.parse(issuer.notAfter) - issued;
  if (lifetime <= caRemaining / 2) return [];
  const days = (ms: number): number => Math.round(ms / DAY_MS);
  return [
    finding(
      "lifetime",
      "info",
      `the certificate is valid for ${days(lifetime)} days (${formatDay(certificate.notBefore)} to ${formatDay(certificate.notAfter)}), more than half of the issuing CA's remaining life when it was issued (${days(Math.max(caRemaining, 0))} days; "${issuer.subject}" expires ${formatDay(issuer.notAfter)})`,
    ),
  ];
};
