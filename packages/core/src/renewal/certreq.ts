import { LOAD_FAILURES } from "../rules/event-meanings";
import type { HostRole } from "../types";

/**
 * The seed's request-file route to a new channel certificate ("Request a certificate using a request
 * file" through "Renew a Certificate"), filled in for one host: the CertReq .inf and the steps to turn it
 * into a certificate SCOM has loaded. Commands use ASCII hyphens: the seed's "CertReq –New –f" carries
 * typographic dashes that cmd.exe does not read as option switches.
 */

export interface CertReqHost {
  fqdn: string;
  domainJoined: boolean;
}

/** The template the seed's .inf names ("Create a certificate template for System Center Operations Manager"). */
export const DEFAULT_CERTIFICATE_TEMPLATE = "OperationsManager";

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
/** AD template names are at most 64 characters; only characters that cannot end the quoted INF value. */
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/**
 * The name that goes into Subject="CN=...": lower case, one trailing root dot dropped. Rejected unless
 * it is a plausible DNS name, because it is pasted into a file an administrator runs: a quote, a
 * semicolon or a line break would change what CertReq reads. An all-numeric last label is an IP address,
 * which SCOM cannot match to the host (rule subject-fqdn).
 */
function requestName(fqdn: string): string {
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

function templateLine(templateName: string): string {
  if (!TEMPLATE_NAME.test(templateName)) {
    throw new CertReqInputError(
      `${JSON.stringify(templateName)} is not a certificate template name (letters, digits, space, ".", "_" and "-", at most 64)`,
      "templateName",
    );
  }
  return `CertificateTemplate="${templateName}"`;
}

/** "ms01.contoso.com" for file names: lower case, only [a-z0-9.-], never empty or dot-led (a hidden file). */
function fileBase(fqdn: string): string {
  const base = fqdn
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+|[.-]+$/g, "");
  return base.length > 0 ? base : "certreq";
}

/** "ms01.contoso.com.inf": safe in a download's Content-Disposition and on any file system. */
export function certReqFileName(fqdn: string): string {
  return `${fileBase(fqdn)}.inf`;
}

/**
 * The seed's .inf ("Create an information (.inf) file") for this host, with CRLF line endings for
 * Notepad and CertReq. Two deliberate differences from the seed's text:
 * - The key is written `Exportable`, not the seed's "Key Exportable": CertReq's [NewRequest] key is
 *   `Exportable` (the certreq reference and every working example use `Exportable = TRUE`); the seed's
 *   own requirements list calls the same setting "Key Exportable=TRUE" under a "[Key Usage]" heading, so
 *   the two-word form is its prose, not a key CertReq knows. An unknown key would not make the key exportable.
 * - TRUE only for hosts that are not domain-joined: the seed requires it "when requesting certificates to
 *   be used on non-domain joined systems" (requested elsewhere, moved as a PFX); a domain-joined host
 *   requests its own, and a key that never has to leave the machine should not be exportable.
 * templateName null omits [RequestAttributes], for stand-alone and non-Microsoft CAs that have no templates.
 */
export function certReqInf(host: CertReqHost, options?: { templateName?: string | null }): string {
  const name = requestName(host.fqdn);
  const base = fileBase(name);
  const templateName =
    options?.templateName === undefined ? DEFAULT_CERTIFICATE_TEMPLATE : options.templateName;
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
    `Subject="CN=${name}"`,
    exportable,
    "HashAlgorithm = SHA256",
    "KeyLength = 2048  ; (2048 or 4096 as per Organization security requirement.)",
    "KeySpec = 1  ; AT_KEYEXCHANGE",
    "KeyUsage = 0xf0  ; Digital Signature, Key Encipherment",
    "MachineKeySet = TRUE ; The key belongs to the local computer account",
    'ProviderName = "Microsoft RSA SChannel Cryptographic Provider"',
    "ProviderType = 12",
    "KeyAlgorithm = RSA",
    "",
    ...(templateName === null
      ? []
      : [
          "; Utilizes the certificate created earlier, ensure to set the name of the template to what yours is named",
          "[RequestAttributes]",
          templateLine(templateName),
          "",
        ]),
    "; Not required if using a template with this defined",
    "[EnhancedKeyUsageExtension]",
    "OID = 1.3.6.1.5.5.7.3.1  ; Server Authentication",
    "OID = 1.3.6.1.5.5.7.3.2  ; Client Authentication",
  ];
  return `${lines.join("\r\n")}\r\n`;
}

export interface RenewalChecklistStep {
  id: string;
  title: string;
  detail: string;
  command: string | null;
  /** Section of the seed document the step comes from. */
  seedReference: string;
}

interface StepContext {
  fqdn: string;
  role: HostRole;
  domainJoined: boolean;
  inf: string;
  req: string;
  cer: string;
  pfx: string;
}

interface StepTemplate {
  id: string;
  /** Only for hosts that are not domain-joined: the certificate is requested elsewhere and moved as a PFX. */
  onlyNotDomainJoined: boolean;
  title: (c: StepContext) => string;
  detail: (c: StepContext) => string;
  command: (c: StepContext) => string | null;
  seedReference: string;
}

/** Where the request is made and the certificate accepted: the host itself, or a domain-joined stand-in. */
const requester = (c: StepContext) =>
  c.domainJoined
    ? c.fqdn
    : `a domain-joined computer that can enroll from the CA (${c.fqdn} is not domain-joined)`;

/** The seed's load-failure events, with certfleet's plain-words meaning of each. */
const SEED_LOAD_FAILURES = [20049, 20050, 20052, 20066, 20069, 20077] as const;

const WHERE_TO_IMPORT: Record<HostRole, string> = {
  ManagementServer: "Run it on the management server itself.",
  Gateway:
    "Run it on the gateway server itself, not on a management server: each end of the channel imports its own certificate.",
  Agent: "Run it on the agent computer itself.",
};

const STEPS: readonly StepTemplate[] = [
  {
    id: "create-request",
    onlyNotDomainJoined: false,
    title: () => "Create the certificate request",
    detail: (c) =>
      `On ${requester(c)}, save certfleet's request file as ${c.inf} and, in an Administrator command prompt in that folder, create the request. Check it with "CertUtil ${c.req}" before submitting.`,
    command: (c) => `CertReq -New -f ${c.inf} ${c.req}`,
    seedReference: "Create an information (.inf) file; Create a certificate request file",
  },
  {
    id: "submit-request",
    onlyNotDomainJoined: false,
    title: () => "Submit the request to the CA",
    detail: (c) =>
      `From the same folder, submit the request and select the CA if asked. The request names the certificate template: keep the one the current certificate was issued from. If the result says "Certificate request is pending", have the certificate approver approve it and retrieve the certificate as ${c.cer}.`,
    command: (c) => `CertReq -Submit ${c.req} ${c.cer}`,
    seedReference: "Submit a new certificate request",
  },
  {
    id: "install-certificate",
    onlyNotDomainJoined: false,
    title: () => "Install the certificate in the computer's Personal store",
    detail: (c) =>
      `On ${c.domainJoined ? c.fqdn : "the computer that created the request"}, in an Administrator command prompt in the folder holding ${c.cer}, accept the certificate: it is paired with the private key made with the request and lands in Local Computer > Personal (LocalMachine\\My).`,
    command: (c) => `CertReq -Accept -Machine ${c.cer}`,
    seedReference: "Install the certificate on the target machine",
  },
  {
    id: "export-pfx",
    onlyNotDomainJoined: true,
    title: () => "Export the certificate with its private key",
    detail: (c) =>
      `On the computer that created the request, in certlm.msc > Personal > Certificates, right-click the new certificate > All Tasks > Export: "Yes, export the private key", Personal Information Exchange - PKCS #12 (.PFX) with "Include all certificates in the certification path if possible" and "Export all extended properties", protect it with a password, save it as ${c.pfx} and copy it to ${c.fqdn}.`,
    command: () => null,
    seedReference: "Request a certificate using Certificate Manager (export the new certificate and copy it)",
  },
  {
    id: "import-pfx",
    onlyNotDomainJoined: true,
    title: (c) => `Import the PFX on ${c.fqdn}`,
    detail: (c) =>
      `On ${c.fqdn}, right-click ${c.pfx} > Install > Local Machine, enter the password and place it in the Personal store (LocalMachine\\My). SCOM needs the private key: if the certificate ends up without one, restore it with "certutil -repairstore my <certificateSerialNumber>".`,
    command: () => null,
    seedReference:
      "Install the certificate on the target machine (Add the certificate to the Certificate Store)",
  },
  {
    id: "momcertimport",
    onlyNotDomainJoined: false,
    title: () => "Import the certificate into Operations Manager",
    detail: (c) =>
      `Copy MOMCertImport.exe from the SupportTools folder of the Operations Manager installation media to ${c.fqdn} and run it in an Administrator prompt (PowerShell: .\\MOMCertImport.exe). ${WHERE_TO_IMPORT[c.role]} Select the new certificate ("More choices" if it is not listed) and OK; it reports "Successfully installed the certificate", writes the serial to ChannelCertificateSerialNumber and restarts the Microsoft Monitoring Agent service.`,
    command: () => "MOMCertImport.exe",
    seedReference: "Import the certificate into Operations Manager; Renew a Certificate (step 6)",
  },
  {
    id: "confirm-event-20053",
    onlyNotDomainJoined: false,
    title: () => "Confirm event 20053",
    detail: (c) => {
      const failures = SEED_LOAD_FAILURES.map(
        (id) => `${id}: ${LOAD_FAILURES[id]?.meaning ?? "see the event text"}`,
      );
      return `On ${c.fqdn}, Event Viewer > Applications and Services Logs > Operations Manager must show event 20053: the authentication certificate was loaded. If it does not, look for one of these and fix what it names - ${failures.join("; ")} - then run MOMCertImport again. If none of these is there, the import failed: check the certificate and administrative permissions and try again. certfleet closes this task when a report shows the new certificate bound with no errors, and its newest certificate event is a 20053 logged after the first report that showed that certificate bound, with no channel-problem event after it: once certfleet shows the new certificate bound, restart the Health Service (Microsoft Monitoring Agent) again so a new 20053 is logged, or ask a lead to verify by hand.`;
    },
    command: () => null,
    seedReference: "Import the certificate into Operations Manager (steps 9-10)",
  },
];

/** The seed's steps for renewing this host's channel certificate by request file, in order. */
export function renewalChecklist(host: CertReqHost & { role: HostRole }): RenewalChecklistStep[] {
  const name = requestName(host.fqdn);
  const base = fileBase(name);
  const context: StepContext = {
    fqdn: name,
    role: host.role,
    domainJoined: host.domainJoined,
    inf: `${base}.inf`,
    req: `${base}.req`,
    cer: `${base}.cer`,
    pfx: `${base}.pfx`,
  };
  return STEPS.filter((step) => !step.onlyNotDomainJoined || !host.domainJoined).map((step) => ({
    id: step.id,
    title: step.title(context),
    detail: step.detail(context),
    command: step.command(context),
    seedReference: step.seedReference,
  }));
}
