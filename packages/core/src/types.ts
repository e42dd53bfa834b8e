import type {
  CandidateCertificateFacts,
  ConnectorEvent,
  Finding,
  HostRole,
  HostStatus,
} from "@certfleet/contracts";

export type { ConnectorEvent, Finding, HostRole, HostStatus, Severity } from "@certfleet/contracts";

/** Stable rule ids (ARCHITECTURE "SCOM rules"). Never rename one: findings are stored and filtered by id. */
export const RULE_IDS = [
  "subject-fqdn",
  "eku-server-client",
  "key-usage",
  "rsa-2048",
  "sha256",
  "validity",
  "csp-not-ksp",
  "private-key",
  "exportable",
  "keyspec",
  "chain",
  "registry-serial",
  "events",
  "template-info",
  "lifetime",
  "duplicate",
  "collector-tokens",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Rules about how certfleet hears of a host (its collectors), not about the certificate SCOM uses. */
export const COLLECTOR_RULE_IDS: readonly RuleId[] = ["collector-tokens"];

/** The rules about the host's SCOM channel certificate: what the demo estate and the seed cover. */
export const SCOM_RULE_IDS: readonly RuleId[] = RULE_IDS.filter((id) => !COLLECTOR_RULE_IDS.includes(id));

/**
 * Everything certfleet needs from one certificate, as plain JSON-able data, so it is parsed once
 * (content-addressed by sha256) and stored; evaluation never touches DER again.
 */
export interface ParsedCertificate {
  /** Lower-case hex SHA-256 of the DER: the content address. */
  sha256: string;
  /** Upper-case hex SHA-1 of the DER: what Windows calls the thumbprint. */
  thumbprint: string;
  /** Upper-case hex of the DER INTEGER content bytes, exactly as encoded (a leading 00 sign byte kept). */
  serialNumber: string;
  subject: string;
  /** The subject CN, or null when the subject has none. */
  subjectCommonName: string | null;
  /**
   * Every subject CN in order (issue 13). Absent from parses stored before it: read them through
   * `subjectCommonNamesOf` (names.ts), which falls back to the printed subject.
   */
  subjectCommonNames?: string[];
  issuer: string;
  /** DNS names of the SubjectAltName extension, in order (SCOM reads the first). */
  dnsNames: string[];
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
  /** "RSA", "EC", or another algorithm name. */
  publicKeyAlgorithm: string;
  /** Modulus bits for RSA, curve size for EC, null when unknown. */
  publicKeySize: number | null;
  /** e.g. "sha256WithRSAEncryption", "sha1WithRSAEncryption", "ecdsa-with-SHA256". */
  signatureAlgorithm: string;
  /** "MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512" or null when unknown. */
  signatureHash: string | null;
  /** EKU OIDs, or null when the certificate has no EKU extension. */
  extendedKeyUsages: string[] | null;
  /** KeyUsage as Windows shows it (digitalSignature = 0x80, keyEncipherment = 0x20...), null when absent. */
  keyUsage: number | null;
  isCa: boolean;
  /** Enterprise CA template information (OIDs 1.3.6.1.4.1.311.21.7 / 1.3.6.1.4.1.311.20.2), null when absent. */
  template: {
    oid: string | null;
    name: string | null;
    majorVersion: number | null;
    minorVersion: number | null;
  } | null;
}

/** One certificate from the host's store: the parse plus what the host said about it. */
export interface CandidateCertificateEvidence {
  certificate: ParsedCertificate;
  facts: CandidateCertificateFacts;
}

export interface HostIdentity {
  fqdn: string;
  role: HostRole;
  domainJoined: boolean;
  /** The computer's own DNS host name when the report carries it (contract 1.1). */
  dnsHostName?: string | null;
  /**
   * Whether SCOM needs a channel certificate on this host (certificateAuthRequirement decides it from
   * role, domain membership and the admin's settings). Absent: required. When false, a host with no
   * certificate configured authenticates with Kerberos and an absent registry serial is only info.
   */
  certificateAuthRequired?: boolean;
}

/** A certificate with its DER: what a signature check needs on top of the parse. */
export interface CertificateWithDer {
  certificate: ParsedCertificate;
  der: Uint8Array;
}

export interface EvaluationSettings {
  /** Days before notAfter at which the validity rule turns to warning (CERTFLEET_EXPIRY_WARNING_DAYS). */
  expiryWarningDays: number;
  /**
   * Configured trust anchors (root and issuing CAs). When non-empty, the chain rule verifies the bound
   * certificate's chain itself (signatures, validity, a path to one of these), whatever the host says.
   */
  trustAnchors: CertificateWithDer[];
}

/** The collector tokens behind a host's reports (looked up by the caller), by name. */
export interface ReportingTokens {
  /** The token that sent this report. */
  current: string;
  /** Other tokens that reported the same host within a day of this report. */
  others: string[];
}

export interface HostEvaluationInput {
  host: HostIdentity;
  registry: {
    channelCertificateSerialNumber: string | null;
    channelCertificateHash?: string | null;
    /** Last write of the Machine Settings key (contract 1.1): a load event older than this predates the binding. */
    lastWriteTime?: string | null;
  };
  certificates: CandidateCertificateEvidence[];
  events: ConnectorEvent[];
  /** When the collector read the host; all time-based rules use this, not the server clock. */
  collectedAt: Date;
  settings: EvaluationSettings;
  /** FQDNs of other hosts currently bound to the same certificate (looked up by the caller). */
  otherHostsBoundToSameCertificate: string[];
  /** CA certificates known to the caller (trust anchors, CA certificates seen in reports) for the lifetime rule. */
  issuerCandidates: ParsedCertificate[];
  /**
   * DER of the reported certificates by sha256: the chain rule needs the bytes of the bound certificate and
   * the reported CA certificates to verify signatures when trust anchors are configured.
   */
  certificateDer?: ReadonlyMap<string, Uint8Array>;
  /** Absent for reports without a token (demo estate, imports). */
  reportingTokens?: ReportingTokens;
}

export type BindingMatch =
  /** Registry bytes, reversed, equal the certificate serial byte for byte. */
  | "exact"
  /** Same number, but the registry lacks the DER sign byte (or has extra leading zeros): SCOM may not find it. */
  | "numeric-only"
  /** Matched by ChannelCertificateHash only (serial absent or not matching). */
  | "hash";

export interface BoundCertificate {
  evidence: CandidateCertificateEvidence;
  match: BindingMatch;
}

export interface HostEvaluation {
  bound: BoundCertificate | null;
  status: HostStatus;
  findings: Finding[];
  /** Needs no certificate and has none configured: authenticates with Kerberos (counted apart). */
  usesKerberos: boolean;
}
