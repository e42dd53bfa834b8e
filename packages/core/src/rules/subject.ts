import { matchHostName, nameScomReads } from "../names";
import { type CertificateRule, finding } from "./context";

/**
 * subject-fqdn (seed "Certificate Requirements"; Certificate Manager Subject tab): the name SCOM reads is
 * the first DNS SubjectAltName when there is one, else the subject CN, and it must be the host's FQDN.
 */
export const subjectFqdnRule: CertificateRule = ({ certificate, input }) => {
  const { host } = input;
  const read = nameScomReads(certificate);
  if (!read) {
    return [
      finding(
        "subject-fqdn",
        "error",
        `the certificate has neither a subject CN nor a DNS SubjectAltName (subject "${certificate.subject}"); SCOM needs "${host.fqdn}"`,
      ),
    ];
  }
  const match = matchHostName(read.name, host);
  if (match === "fqdn" || match === "netbios") return [];
  const unreadCn =
    read.source !== "subject CN" && certificate.subjectCommonName
      ? ` (the subject CN "${certificate.subjectCommonName}" is not what SCOM reads when SubjectAltNames exist)`
      : "";
  const why =
    match === "netbios-on-domain-host"
      ? "; a short (NetBIOS) name is accepted only on hosts that are not domain-joined"
      : "";
  return [
    finding(
      "subject-fqdn",
      "error",
      `the name SCOM reads is "${read.name}" (${read.source}), not the host's FQDN "${host.fqdn}"${why}${unreadCn}`,
    ),
  ];
};
