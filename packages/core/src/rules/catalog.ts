import { RULE_IDS, type RuleId, type Severity } from "../types";

/**
 * Rule metadata as data (ARCHITECTURE "SCOM rules the core must evaluate"). The UI lists it, the compliance
 * report prints it, and every finding's default remediation comes from here. `defaultSeverity` is the
 * severity of the rule's main failure; some rules also emit softer findings (validity warns before it
 * errors, registry-serial warns on a renewed-but-not-imported certificate or a renewal that cannot be
 * imported, duplicate warns on the one host the shared certificate names).
 */
export interface RuleMeta {
  id: RuleId;
  title: string;
  defaultSeverity: Severity;
  /** What SCOM needs, in one sentence. */
  scomNeeds: string;
  remediation: string;
  /** Section of the seed document the rule comes from; null for certfleet's own rules. */
  seedReference: string | null;
}

const CATALOG: Record<RuleId, Omit<RuleMeta, "id">> = {
  "subject-fqdn": {
    title: "Certificate name matches the host",
    defaultSeverity: "error",
    scomNeeds:
      "The name SCOM reads (the first DNS SubjectAltName, else the subject CN) must be the name the host is known by: its FQDN, or a NetBIOS (single-label) name only when the host is known by that single-label name. Several CNs without a DNS SubjectAltName are a finding naming every CN (an error when none names the host).",
    remediation:
      'Request a new certificate with Subject "CN=<host FQDN>" and one CN only (if it has SubjectAltNames, the FQDN as the first DNS name); then import it with MOMCertImport.',
    seedReference: "Certificate Requirements; Request a certificate using Certificate Manager (Subject tab)",
  },
  "eku-server-client": {
    title: "Server and Client Authentication EKUs",
    defaultSeverity: "error",
    scomNeeds:
      "The Enhanced Key Usage extension must contain Server Authentication (1.3.6.1.5.5.7.3.1) and Client Authentication (1.3.6.1.5.5.7.3.2).",
    remediation:
      "Re-issue the certificate from a template (or .inf [EnhancedKeyUsageExtension]) that includes both Server Authentication and Client Authentication, then import it with MOMCertImport.",
    seedReference: "Certificate Requirements ([EnhancedKeyUsageExtension])",
  },
  "key-usage": {
    title: "Digital Signature and Key Encipherment key usage",
    defaultSeverity: "error",
    scomNeeds: "The Key Usage extension must include Digital Signature (0x80) and Key Encipherment (0x20).",
    remediation:
      "Re-issue the certificate with KeyUsage = 0xf0 (or at least Digital Signature and Key Encipherment), then import it with MOMCertImport.",
    seedReference: "Create an information (.inf) file (KeyUsage = 0xf0)",
  },
  "rsa-2048": {
    title: "RSA key of at least 2048 bits",
    defaultSeverity: "error",
    scomNeeds: "The key must be RSA with at least 2048 bits; ECC keys are not supported.",
    remediation:
      "Request a new certificate with KeyAlgorithm = RSA and KeyLength = 2048 (or 4096) from a legacy CSP, then import it with MOMCertImport.",
    seedReference: "Certificate Requirements (KeyLength, Algorithm name: RSA)",
  },
  sha256: {
    title: "SHA-256 or stronger signature",
    defaultSeverity: "error",
    scomNeeds:
      "The certificate must be signed with SHA-256 or a stronger hash; SHA-1 and MD5 are not accepted.",
    remediation:
      "Have the CA re-issue the certificate with HashAlgorithm = SHA256 (check the CA's own signing hash), then import it with MOMCertImport.",
    seedReference: "Certificate Requirements (HashAlgorithm = SHA256)",
  },
  validity: {
    title: "Certificate currently valid",
    defaultSeverity: "error",
    scomNeeds:
      "The certificate must be within its validity period; SCOM stops authenticating once it expires.",
    remediation:
      "Renew the certificate (certlm.msc > All Tasks > Renew, or request a new one), then run MOMCertImport so SCOM uses the new serial.",
    seedReference: "Renew a Certificate",
  },
  "csp-not-ksp": {
    title: "Key held by a legacy CSP, not a KSP",
    defaultSeverity: "error",
    scomNeeds:
      'The private key must live in a legacy Cryptographic Service Provider such as "Microsoft RSA SChannel Cryptographic Provider"; Key Storage Providers (CNG) are not supported. The provider\'s name decides before the type the collector reports: a known legacy CSP reported as KSP is a warning about the collector\'s data, and a name containing "Key Storage Provider" (or "Microsoft Platform Crypto Provider") is a KSP even without a type.',
    remediation:
      'Request a new certificate with Provider Category "Legacy Cryptographic Service Provider" (ProviderName = "Microsoft RSA SChannel Cryptographic Provider", ProviderType = 12), then import it with MOMCertImport.',
    seedReference: "Certificate Requirements (IMPORTANT: KSP isn't supported)",
  },
  "private-key": {
    title: "Private key present in the machine key set",
    defaultSeverity: "error",
    scomNeeds:
      'The certificate must have its private key, in the machine key set (MachineKeySet = TRUE), in LocalMachine\\My or the "Operations Manager" store (on every role).',
    remediation:
      "Restore the private key with certutil -repairstore my <serial number>, or re-import the PFX into the Local Computer Personal store; then run MOMCertImport.",
    seedReference: "Add the certificate to the Certificate Store (TIP: certutil -repairstore)",
  },
  exportable: {
    title: "Private key exportable (informational)",
    defaultSeverity: "info",
    scomNeeds:
      "SCOM works with a non-exportable key; the seed asks for exportable keys only when a certificate is requested on one machine for a non-domain-joined one.",
    remediation:
      "Nothing to fix for SCOM. If this certificate must be moved to another machine, request the next one with Key Exportable = TRUE.",
    seedReference: "Certificate Requirements (Key Exportable=TRUE)",
  },
  keyspec: {
    title: "KeySpec AT_KEYEXCHANGE",
    defaultSeverity: "error",
    scomNeeds:
      "The key must have KeySpec = 1 (AT_KEYEXCHANGE, the Exchange key type); a KeySpec the collector did not report is info.",
    remediation:
      'Request a new certificate with KeySpec = 1 (Certificate Manager: Private Key tab > Key type "Exchange"), then import it with MOMCertImport.',
    seedReference: "Create an information (.inf) file (KeySpec = 1)",
  },
  chain: {
    title: "Chains to a trusted root",
    defaultSeverity: "error",
    scomNeeds:
      "The certificate must chain to a root CA that both ends of the SCOM channel trust; when the only problem the host reports is that revocation could not be checked (RevocationStatusUnknown, OfflineRevocation: a DMZ host that cannot reach the CRL), it is a warning.",
    remediation:
      "Import the issuing CA's root (and intermediate) certificates into Trusted Root Certification Authorities / Intermediate Certification Authorities on this host (gpupdate /force on domain machines).",
    seedReference: "Download and Import the Root Certificate from the CA",
  },
  "registry-serial": {
    title: "Imported with MOMCertImport (registry serial)",
    defaultSeverity: "error",
    scomNeeds:
      "ChannelCertificateSerialNumber must hold the certificate's serial with its bytes reversed, as MOMCertImport writes it, and name a certificate in the store.",
    remediation:
      "Run MOMCertImport.exe on the host and select the current certificate; then check the Operations Manager log for event 20053.",
    seedReference:
      "Import the certificate into Operations Manager; Optional: Configure certificate auto-enrollment and renewal (NOTE)",
  },
  events: {
    title: "OpsMgr Connector loaded the certificate",
    defaultSeverity: "error",
    scomNeeds:
      "After an import, the newest OpsMgr Connector certificate event must be 20053 (authentication certificate loaded). A load event older than the bound certificate's notBefore (or than the registry key's last write) says nothing about it: the load is unconfirmed (info), neither passed nor failed.",
    remediation:
      "Fix what the event names, run MOMCertImport again, and confirm event 20053 in Event Viewer > Applications and Services Logs > Operations Manager.",
    seedReference: "Import the certificate into Operations Manager (steps 9-10)",
  },
  "template-info": {
    title: "Enterprise CA template information (informational)",
    defaultSeverity: "info",
    scomNeeds:
      "Microsoft's certificate article documents SCOM's own expiry alert for Management Servers and Gateways, and says it works only when the certificate carries Enterprise CA template information (a v1 template name or a v2 template extension).",
    remediation:
      "Nothing to fix; certfleet tracks the expiry. To get SCOM's documented alert, issue the next certificate from the Enterprise CA template Microsoft's certificate article describes: a duplicate of the Computer template (Compatibility Windows Server 2012 R2 or later, Legacy Cryptography Service Provider with the Microsoft RSA SChannel Cryptographic Provider, validity at most half the issuing CA's lifetime).",
    seedReference: "Renew a Certificate",
  },
  lifetime: {
    title: "Lifetime within half the issuing CA's life (informational)",
    defaultSeverity: "info",
    scomNeeds:
      "Microsoft's certificate article recommends a validity that does not exceed one-half the life of the CA issuing the certificate (a four-year sub CA issues at most two-year certificates).",
    remediation:
      "Set the template's validity period (General tab) to at most half the issuing CA's lifetime before the next renewal.",
    seedReference: "Create a certificate template for System Center Operations Manager (General tab)",
  },
  duplicate: {
    title: "Certificate bound on one host only",
    defaultSeverity: "error",
    scomNeeds:
      "Each host needs its own certificate whose name matches it; one certificate bound on several hosts can match only one of them. An error on the hosts it does not name, a warning on the one it names; hosts silent past the silent threshold do not count.",
    remediation:
      "Issue a separate certificate for each host the certificate does not name and import each with MOMCertImport; then remove the shared certificate and its private key from those hosts.",
    seedReference: null,
  },
  "collector-tokens": {
    title: "One collector token per host (informational)",
    defaultSeverity: "info",
    scomNeeds:
      "Nothing for SCOM: each host is normally reported by one collector, so two collector tokens reporting the same host within a day is worth a look.",
    remediation:
      "Check which collector should report this host. A second token usually means a collector copied to another machine or a reused host name; revoke that token or narrow its scope (Admin > Collector tokens).",
    seedReference: null,
  },
};

/** Every rule's metadata, in RULE_IDS order. */
export const RULE_CATALOG: readonly RuleMeta[] = RULE_IDS.map((id) => ({ id, ...CATALOG[id] }));

export function ruleMeta(id: RuleId): RuleMeta {
  return { id, ...CATALOG[id] };
}
