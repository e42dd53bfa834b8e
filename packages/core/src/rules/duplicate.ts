import { normalizeHostName } from "../names";
import { type CertificateRule, finding, listOf, plural } from "./context";

/**
 * duplicate (certfleet's own rule): one certificate bound on several hosts. Its name can match only one of
 * them, and one compromised key would then speak for all. The caller looks up the other hosts.
 */
export const duplicateRule: CertificateRule = ({ certificate, input }) => {
  const self = normalizeHostName(input.host.fqdn);
  const others = [...new Set(input.otherHostsBoundToSameCertificate.map(normalizeHostName))]
    .filter((fqdn) => fqdn !== self)
    .sort();
  if (others.length === 0) return [];
  return [
    finding(
      "duplicate",
      "error",
      `the same certificate (thumbprint ${certificate.thumbprint}, serial ${certificate.serialNumber}) is also bound on ${plural(others.length, "other host")}: ${listOf(others)}`,
    ),
  ];
};
