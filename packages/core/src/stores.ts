import { sameDn } from "./names";
import type { CandidateCertificateEvidence } from "./types";

/**
 * A machine store as collectors name it: "LocalMachine\My", "Cert:\LocalMachine\Operations Manager", or a
 * bare "My" (taken to be in LocalMachine, since collectors read the machine stores). Lower case.
 */
export function parseStore(store: string): { location: string; name: string | null } {
  const parts = store
    .trim()
    .replace(/^cert:[\\/]+/i, "")
    .split(/[\\/]+/)
    .map((part) => part.toLowerCase());
  if (parts.length === 1) return { location: "localmachine", name: parts[0] ?? null };
  return { location: parts[0] ?? "", name: parts[1] ?? null };
}

const OPERATIONS_MANAGER_STORE = "operations manager";

/** LocalMachine\"Operations Manager", the store SCOM keeps certificates of its own in. */
export function isOperationsManagerStore(store: string | null | undefined): boolean {
  if (!store) return false;
  const { location, name } = parseStore(store);
  return location === "localmachine" && name === OPERATIONS_MANAGER_STORE;
}

/**
 * The stores the HealthService reads its channel certificate from: LocalMachine\My and the "Operations
 * Manager" store, alike on every role (issue 13 "The Operations Manager store is treated the same on every
 * role"; ARCHITECTURE "Details that matter"). Before, only a Gateway's was accepted.
 */
export function isChannelStore(store: string): boolean {
  const { location, name } = parseStore(store);
  return location === "localmachine" && (name === "my" || name === OPERATIONS_MANAGER_STORE);
}

/**
 * SCOM's HealthService puts a self-signed certificate of its own in the "Operations Manager" store. It is
 * not a channel certificate anyone requested: never advised for binding, never "renewed but not
 * re-imported", never a duplicate (issue 13). Self-signed: the subject is the issuer.
 */
export function isScomSelfSignedCertificate({ certificate, facts }: CandidateCertificateEvidence): boolean {
  return isOperationsManagerStore(facts.store) && sameDn(certificate.subject, certificate.issuer);
}

/**
 * Whether a store certificate may be offered as (or counted as) a host's channel certificate: not a CA
 * certificate someone dropped into the store, and not SCOM's own self-signed one. The one place every
 * candidate choice (binding preference, binding advice, renewals, duplicates) asks.
 */
export function isChannelCandidate(evidence: CandidateCertificateEvidence): boolean {
  return !evidence.certificate.isCa && !isScomSelfSignedCertificate(evidence);
}
