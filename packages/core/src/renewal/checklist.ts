import { LOAD_FAILURES } from "../rules/event-meanings";
import type { HostRole } from "../types";
import { type CertReqHost, requestFileBase, requestName } from "./certreq";

/**
 * The seed's steps from a request file to a certificate SCOM has loaded, filled in for one host. Each step
 * cites the seed section it follows (seedReference); commands use ASCII hyphens (see certreq.ts).
 */

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
  /** The other end of this host's certificate-authenticated channel, in words. */
  peer: string;
  inf: string;
  req: string;
  cer: string;
  pfx: string;
}

interface StepTemplate {
  id: string;
  /**
   * Only for hosts that are not domain-joined: they do not get the Enterprise CA's root and issuing CA
   * through Group Policy, and their certificate is requested elsewhere and moved as a PFX.
   */
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

/**
 * Who is at the other end of the channel and must trust this host's CA too. Certificate authentication is
 * mutual: each end validates the other's certificate chain against its own LocalMachine stores (seed, first
 * paragraph and "Manually download the Trusted Root certificate from a CA": "a Gateway Server or
 * Management Server").
 */
function peerOf(role: HostRole, primaryServer: string | null): string {
  if (role === "ManagementServer")
    return "every gateway and agent that authenticates to it with a certificate";
  const reportsTo =
    role === "Gateway"
      ? "the management server it reports to"
      : "the management server or gateway it reports to";
  return primaryServer ? `${primaryServer} (${reportsTo})` : reportsTo;
}

const STEPS: readonly StepTemplate[] = [
  {
    id: "import-root-ca",
    onlyNotDomainJoined: true,
    title: () => "Trust the root CA on both ends",
    detail: (c) =>
      `${c.fqdn} is not domain-joined, so Group Policy does not give it the Enterprise CA's root. Download the CA certificate chain (https://<CA server>/certsrv > Download a CA certificate, certificate chain, or CRL > Base 64), open the downloaded chain (.p7b), copy the root CA's certificate to a file root-ca.cer (Base-64), and import it into Local Computer > Trusted Root Certification Authorities (LocalMachine\\Root) in an Administrator prompt on ${c.fqdn} and on ${c.peer}: each end checks the other's certificate chain. Check with: Get-ChildItem Cert:\\LocalMachine\\Root. If the two ends' certificates come from different CAs, each end needs both roots.`,
    command: () => "certutil -addstore Root root-ca.cer",
    seedReference:
      "Download and Import the Root Certificate from the CA (Manually download the Trusted Root certificate from a CA; Import the Trusted Root Certificate from the CA on the client)",
  },
  {
    id: "import-issuing-ca",
    onlyNotDomainJoined: true,
    title: () => "Add the issuing CA on both ends",
    detail: (c) =>
      `When the certificate comes from an issuing (subordinate) CA below the root, save that CA's certificate from the same chain as issuing-ca.cer and import it into Local Computer > Intermediate Certification Authorities (LocalMachine\\CA) on ${c.fqdn} and on ${c.peer}, so each can build the chain without fetching it over the network. Check with: Get-ChildItem Cert:\\LocalMachine\\CA.`,
    command: () => "certutil -addstore CA issuing-ca.cer",
    seedReference: "Download and Import the Root Certificate from the CA (Check for CA Certificates)",
  },
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
      `From the same folder, submit the request and select the CA if asked. The request names the certificate template (see the .inf's [RequestAttributes]). If the result says "Certificate request is pending" (the seed's template requires CA certificate manager approval), note the RequestId it prints and continue with the next step; otherwise the CA wrote ${c.cer}.`,
    command: (c) => `CertReq -Submit ${c.req} ${c.cer}`,
    seedReference: "Submit a new certificate request",
  },
  {
    id: "retrieve-approved-certificate",
    onlyNotDomainJoined: false,
    title: () => "Retrieve the certificate once a CA manager has approved it",
    detail: (c) =>
      `Only if the request was left pending: a CA certificate manager issues it (Certification Authority console > Pending Requests > All Tasks > Issue). Then, on ${c.domainJoined ? c.fqdn : "the computer that created the request"} in the same folder, retrieve it with the RequestId that CertReq -Submit printed in place of REQUEST_ID (add -config "<CA host>\\<CA name>" to skip the CA prompt), and accept it in the next step.`,
    command: (c) => `CertReq -Retrieve REQUEST_ID ${c.cer}`,
    seedReference:
      'Submit a new certificate request ("Certificate request is pending"); High-level process (Approve the request if necessary. Retrieve the certificate.)',
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

/**
 * The seed's steps for renewing this host's channel certificate by request file, in order.
 * `primaryServer` (when known) names the other end of the channel in the trust steps.
 */
export function renewalChecklist(
  host: CertReqHost & { role: HostRole; primaryServer?: string | null },
): RenewalChecklistStep[] {
  const name = requestName(host.fqdn);
  const base = requestFileBase(name);
  const context: StepContext = {
    fqdn: name,
    role: host.role,
    domainJoined: host.domainJoined,
    peer: peerOf(host.role, host.primaryServer ?? null),
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
