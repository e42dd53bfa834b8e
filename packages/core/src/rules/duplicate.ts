import { certificateNamesHost, nameScomReads, normalizeHostName } from "../names";
import { isScomSelfSignedCertificate } from "../stores";
import { type CertificateRule, finding, listOf, plural } from "./context";

/**
 * duplicate (certfleet's own rule; severities from issue 13): one certificate bound on several hosts. Its
 * name can match only one of them, and one compromised key would then speak for all. On a host the
 * certificate does not name it is an error (SCOM there refuses the name anyway, and the host needs its own
 * certificate); on the one host it names, a warning: that host's binding is right, the copies elsewhere
 * are what must go. The caller looks up the other hosts (only those still reporting). SCOM's own
 * self-signed certificate in the "Operations Manager" store is never a duplicate.
 */
export const duplicateRule: CertificateRule = ({ certificate, facts, input }) => {
  if (isScomSelfSignedCertificate({ certificate, facts })) return [];
  const self = normalizeHostName(input.host.fqdn);
  const others = [...new Set(input.otherHostsBoundToSameCertificate.map(normalizeHostName))]
    .filter((fqdn) => fqdn !== self)
    .sort();
  if (others.length === 0) return [];
  const shared = `the same certificate (thumbprint ${certificate.thumbprint}, serial ${certificate.serialNumber}) is also bound on ${plural(others.length, "other host")}: ${listOf(others)}`;
  const name = nameScomReads(certificate)?.name;
  if (certificateNamesHost(certificate, input.host)) {
    return [
      finding(
        "duplicate",
        "warning",
        `${shared}; it names this host ("${name}"), so this binding is the right one, but its private key is copied to hosts it does not name`,
        `Nothing to change on this host. Issue ${listOf(others)} ${others.length === 1 ? "its" : "each"} own certificate and import it there with MOMCertImport; then remove this certificate and its private key from ${others.length === 1 ? "that host" : "those hosts"}.`,
      ),
    ];
  }
  const whose = name ? `it names "${name}", not this host` : "it names no host";
  return [
    finding(
      "duplicate",
      "error",
      `${shared}; ${whose}, so this host needs its own certificate`,
      `Issue ${self} its own certificate (CN=${self}), import it with MOMCertImport, and remove this copy and its private key from this host.`,
    ),
  ];
};
