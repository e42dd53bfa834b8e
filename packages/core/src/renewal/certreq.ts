import { checkTemplateName, type RequestTemplate } from "./request-template";

/**
 * The seed's request-file route to a new channel certificate ("Request a certificate using a request
 * file" through "Renew a Certificate"), filled in for one host: the CertReq .inf (the steps to turn it into a
 * certificate SCOM has loaded are in checklist.ts). Commands use ASCII hyphens: the seed's "CertReq –New –f" carries
 * typographic dashes that cmd.exe does not read as option switches.
 */

export interface CertReqHost {
  fqdn: string;
  domainJoined: boolean;
}

/** Thrown for input that cannot safely be written into a request file; `field` names the culprit. */
export class CertReqInputError extends Error {
  override readonly name = "CertReqInputError";
  constructor(
    message: string,
    readonly field: "fqdn" | "templateName",
  ) {
    super(message);
  }
}

const MAX_DNS_NAME = 253;
/** RFC 1123 label: letters, digits and inner hyphens, 1-63 characters (already lower-cased). */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** X.520 ub-common-name (RFC 5280 Appendix A: `ub-common-name INTEGER ::= 64`): the most a CN may hold. */
export const MAX_COMMON_NAME_LENGTH = 64;

/**
 * The host's DNS name for the request: lower case, one trailing root dot dropped. Rejected unless
 * it is a plausible DNS name, because it is pasted into a file an administrator runs: a quote, a
 * semicolon or a line break would change what CertReq reads. An all-numeric last label is an IP address,
 * which SCOM cannot match to the host (rule subject-fqdn).
 */
export function requestName(fqdn: string): string {
  const name = fqdn.toLowerCase().replace(/\.$/, "");
  const labels = name.split(".");
  const plausible =
    name.length > 0 &&
    name.length <= MAX_DNS_NAME &&
    labels.every((label) => DNS_LABEL.test(label)) &&
    !/^[0-9]+$/.test(labels.at(-1) ?? "");
  if (!plausible) {
    throw new CertReqInputError(
      `${JSON.stringify(fqdn)} is not a DNS host name a certificate can be requested for`,
      "fqdn",
    );
  }
  return name;
}

function templateLines(template: RequestTemplate): string[] {
  if (template.name === null)
    return [
      `; No certificate template: ${template.explanation}.`,
      '; Remove the ";" from the next two lines once the name is in (the seed\'s template is "OperationsManager"; yours may differ).',
      ";[RequestAttributes]",
      ';CertificateTemplate="<your Operations Manager template name>"',
    ];
  const check = checkTemplateName(template.name);
  if (!check.ok)
    throw new CertReqInputError(
      `${JSON.stringify(template.name)} is not a certificate template name: it ${check.message}`,
      "templateName",
    );
  return [
    `; Template: ${template.explanation}.`,
    "[RequestAttributes]",
    `CertificateTemplate="${check.value}"`,
  ];
}

/**
 * The subject and SubjectAltName lines. The FQDN always goes into a DNS SubjectAltName: when a
 * certificate has one, SCOM reads its first DNS name, not the CN (seed, Certificate Manager Subject tab:
 * "If using alternative names in place of a Subject, the *first* name must match"; core names.ts), and
 * so does every TLS client that follows RFC 6125. With the FQDN in both places the name SCOM reads is the
 * same whichever it looks at. A CN holds at most 64 characters (X.520), so a longer FQDN gets its host
 * label as CN and lives in the SubjectAltName alone. Syntax: Microsoft's certreq reference, [Extensions]
 * (`2.5.29.17 = "{text}"`, then `_continue_` lines), with the `&` separator of KB 931351.
 */
function nameLines(name: string): { subject: string[]; extensions: string[] } {
  const long = name.length > MAX_COMMON_NAME_LENGTH;
  const commonName = long ? (name.split(".")[0] ?? name) : name;
  return {
    subject: [
      ...(long
        ? [
            `; ${name} is ${name.length} characters, more than the ${MAX_COMMON_NAME_LENGTH} a CN may hold (X.520 ub-common-name): the CN is the host label and the full name is the DNS SubjectAltName below, which SCOM reads first.`,
          ]
        : []),
      `Subject="CN=${commonName}"`,
    ],
    extensions: [
      "; SubjectAltName with the host's DNS name: SCOM reads the first DNS SubjectAltName when there is one.",
      '; The template must take the subject from the request (seed: Subject Name tab, "Supply in the request").',
      "[Extensions]",
      '2.5.29.17 = "{text}"',
      `_continue_ = "dns=${name}&"`,
    ],
  };
}

/** "ms01.contoso.com" for file names: lower case, only [a-z0-9.-], never empty or dot-led (a hidden file). */
export function requestFileBase(fqdn: string): string {
  const base = fqdn
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+|[.-]+$/g, "");
  return base.length > 0 ? base : "certreq";
}

/** "ms01.contoso.com.inf": safe in a download's Content-Disposition and on any file system. */
export function certReqFileName(fqdn: string): string {
  return `${requestFileBase(fqdn)}.inf`;
}

/**
 * The seed's .inf ("Create an information (.inf) file") for this host, with CRLF line endings for
 * Notepad and CertReq. Deliberate differences from the seed's text:
 * - The key is written `Exportable`, not the seed's "Key Exportable": CertReq's [NewRequest] key is
 *   `Exportable` (the certreq reference and every working example use `Exportable = TRUE`); the seed's
 *   own requirements list calls the same setting "Key Exportable=TRUE" under a "[Key Usage]" heading, so
 *   the two-word form is its prose, not a key CertReq knows. An unknown key would not make the key exportable.
 * - TRUE only for hosts that are not domain-joined: the seed requires it "when requesting certificates to
 *   be used on non-domain joined systems" (requested elsewhere, moved as a PFX); a domain-joined host
 *   requests its own, and a key that never has to leave the machine should not be exportable.
 * - The template is the one chooseRequestTemplate picked (the certificate's own, or the admin's), never a
 *   name certfleet made up; with none, the CertificateTemplate line is written commented out.
 * - A DNS SubjectAltName always carries the FQDN, and a name over 64 characters gets a short CN (nameLines).
 * - KeyUsage keeps the seed's 0xf0, with a comment saying what it really sets: the seed's "Digital
 *   Signature, Key Encipherment" is 0xa0; 0xf0 adds Non-Repudiation (0x40) and Data Encipherment (0x10)
 *   (certreq reference, KeyUsage: CERT_DIGITAL_SIGNATURE 0x80, CERT_NON_REPUDIATION 0x40,
 *   CERT_KEY_ENCIPHERMENT 0x20, CERT_DATA_ENCIPHERMENT 0x10).
 */
export function certReqInf(host: CertReqHost, template: RequestTemplate): string {
  const name = requestName(host.fqdn);
  const base = requestFileBase(name);
  const names = nameLines(name);
  const where = host.domainJoined
    ? `; Run on ${name} itself, in an Administrator command prompt in this file's folder:`
    : `; ${name} is not domain-joined: run on a domain-joined computer that can enroll from the CA, in an Administrator command prompt in this file's folder, then move the certificate to ${name} as a PFX:`;
  const exportable = host.domainJoined
    ? "Exportable = FALSE  ; This host is domain-joined and requests its own certificate, so the key never leaves it; change to TRUE only if exporting for another machine"
    : "Exportable = TRUE  ; Private key is exportable: this setting is required when requesting certificates to be used on non-domain joined systems";
  const lines = [
    `; CertReq request file for ${name}, written by certfleet from the seed's template.`,
    where,
    `;   CertReq -New -f ${base}.inf ${base}.req`,
    `;   CertReq -Submit ${base}.req ${base}.cer`,
    `; ("Exportable" is CertReq's name for the seed's "Key Exportable".)`,
    "[NewRequest]",
    ...names.subject,
    exportable,
    "HashAlgorithm = SHA256",
    "KeyLength = 2048  ; (2048 or 4096 as per Organization security requirement.)",
    "KeySpec = 1  ; AT_KEYEXCHANGE",
    "KeyUsage = 0xf0  ; Digital Signature 0x80, Non-Repudiation 0x40, Key Encipherment 0x20, Data Encipherment 0x10 (the seed's value; SCOM needs Digital Signature and Key Encipherment, 0xa0)",
    "MachineKeySet = TRUE ; The key belongs to the local computer account",
    'ProviderName = "Microsoft RSA SChannel Cryptographic Provider"',
    "ProviderType = 12",
    "KeyAlgorithm = RSA",
    "",
    ...names.extensions,
    "",
    ...templateLines(template),
    "",
    "; Not required if using a template with this defined",
    "[EnhancedKeyUsageExtension]",
    "OID = 1.3.6.1.5.5.7.3.1  ; Server Authentication",
    "OID = 1.3.6.1.5.5.7.3.2  ; Client Authentication",
  ];
  return `${lines.join("\r\n")}\r\n`;
}
