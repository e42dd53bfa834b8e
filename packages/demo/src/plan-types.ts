/**
 * The demo estate as data, before any cryptography: which certificates exist (by spec), which host holds
 * which in its store at which report, and what the registry and event log say. Planning is pure and
 * cheap, so tests can check every scenario without signing anything.
 */
import type { CandidateCertificateFacts, HostRole } from "@certfleet/contracts";
import type { ExpiryBucket } from "@certfleet/core";
import type { ScenarioId } from "./scenarios";
import type { DemoHost } from "./topology";

export type KeyKind = "rsa2048" | "rsa1024" | "ec";

export interface CertificateSpec {
  id: number;
  /** Serial as handed to the issuer (no sign byte); `derSerial` is how DER (and the parser) spell it. */
  serialHex: string;
  derSerial: string;
  subject: string;
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  key: KeyKind;
  signatureHash: "SHA-1" | "SHA-256";
  /** undefined: Server + Client Authentication. */
  ekus?: string[];
  /** @peculiar/x509 KeyUsageFlags; undefined: digitalSignature | keyEncipherment. */
  keyUsage?: number;
  /** Enterprise CA template information (v2 template extension). */
  template: boolean;
  /** "foreign": a CA the hosts do not trust. */
  issuer: "demo" | "foreign";
}

/** A certificate in the host's store: a planned one, or the demo CA's own certificate. */
export interface StoreEntry {
  certificate: number | "ca";
  facts: CandidateCertificateFacts;
}

export interface PlannedEvent {
  id: number;
  time: Date;
}

export interface ReportPlan {
  collectedAt: Date;
  store: StoreEntry[];
  /** The certificate MOMCertImport wrote to the registry; null when it never ran. */
  registry: { certificate: number; withoutSignByte?: boolean } | null;
  /** The certificate named by ChannelCertificateHash (newer agents write it); null when absent. */
  hash: number | null;
  events: PlannedEvent[];
  /** The Machine Settings key's last write, sent only by a contract 1.1 collector; absent otherwise. */
  registryLastWriteTime?: Date;
}

export interface HostPlan extends DemoHost {
  scenario: ScenarioId;
  /** Expiry bucket of the certificate the host is bound to at `now`. */
  bucket: ExpiryBucket;
  /** Newest report days old. */
  silent: boolean;
  /** Earlier certificates this host was bound to, each with a report of its own. */
  renewals: number;
  /** Listed in the inventory (expected). */
  inventory: boolean;
  /** Reports, oldest first; empty for a host that never reported. */
  reports: ReportPlan[];
}

export interface InventoryHost {
  fqdn: string;
  role: HostRole;
  managementGroup: string;
  domainJoined: boolean;
  primaryServer: string | null;
}

export interface EstatePlan {
  now: Date;
  certificates: CertificateSpec[];
  hosts: HostPlan[];
}
