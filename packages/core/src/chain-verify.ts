import { X509Certificate } from "node:crypto";
import { normalizeDn } from "./names";
import type { CertificateWithDer } from "./types";

/**
 * certfleet's own chain check against the admin's trust anchors: no trust in what the host says. From the
 * bound certificate it follows issuer names through the reported CA certificates and the configured ones,
 * verifying every link's signature with its issuer's public key and every CA's validity at `at`, until it
 * reaches a configured certificate (a root or an issuing CA the admin trusts). Pure computation: Node's
 * X509Certificate only does the signature arithmetic, nothing touches a store or the network.
 * Revocation is not checked (no CRL or OCSP fetching from the server); the host's status covers it.
 */

/** Deep enough for any real PKI (root, policy CA, issuing CA); bounds the search in odd CA sets. */
const MAX_CHAIN_DEPTH = 8;

export type ChainVerdict =
  /** `path` runs from the leaf's issuer up to the anchor, as subject DNs. */
  | { trusted: true; path: string[] }
  /** Why no path was found: the most specific failure seen along the way. */
  | { trusted: false; reason: string };

interface Node {
  item: CertificateWithDer;
  x509: X509Certificate;
  isAnchor: boolean;
}

/** Configured anchors are the same objects report after report: parse their DER once. */
const parsedDer = new WeakMap<Uint8Array, X509Certificate>();

function x509Of(item: CertificateWithDer): X509Certificate {
  const cached = parsedDer.get(item.der);
  if (cached) return cached;
  const certificate = new X509Certificate(item.der);
  parsedDer.set(item.der, certificate);
  return certificate;
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.verify(issuer.publicKey);
  } catch {
    // An algorithm Node cannot verify (or a malformed key) is a signature that does not verify.
    return false;
  }
}

function notValidReason(item: CertificateWithDer, at: Date): string | null {
  const { subject, notBefore, notAfter } = item.certificate;
  if (at.getTime() < Date.parse(notBefore)) return `"${subject}" is not valid before ${notBefore}`;
  if (at.getTime() > Date.parse(notAfter)) return `"${subject}" expired on ${notAfter}`;
  return null;
}

/**
 * Whether `leaf` chains to one of `anchors` at time `at`. `intermediates` are CA certificates the host
 * reported (anything else in the list is ignored). The leaf's own validity is the validity rule's
 * business; every CA on the path, the anchor included, must be valid at `at`.
 */
export function verifyChain(
  leaf: CertificateWithDer,
  intermediates: readonly CertificateWithDer[],
  anchors: readonly CertificateWithDer[],
  at: Date,
): ChainVerdict {
  if (anchors.length === 0) return { trusted: false, reason: "no trust anchors are configured" };
  if (anchors.some((anchor) => anchor.certificate.sha256 === leaf.certificate.sha256)) {
    return { trusted: true, path: [] };
  }
  const nodes = new Map<string, Node>();
  for (const anchor of anchors) {
    nodes.set(anchor.certificate.sha256, { item: anchor, x509: x509Of(anchor), isAnchor: true });
  }
  for (const ca of intermediates) {
    if (
      !ca.certificate.isCa ||
      nodes.has(ca.certificate.sha256) ||
      ca.certificate.sha256 === leaf.certificate.sha256
    )
      continue;
    nodes.set(ca.certificate.sha256, { item: ca, x509: x509Of(ca), isAnchor: false });
  }
  const failures: string[] = [];
  const found = search(
    { item: leaf, x509: x509Of(leaf), isAnchor: false },
    [...nodes.values()],
    [],
    new Set([leaf.certificate.sha256]),
    at,
    failures,
  );
  if (found) return { trusted: true, path: found };
  return {
    trusted: false,
    reason:
      failures[0] ??
      `no certificate named "${leaf.certificate.issuer}" among the reported CA certificates and the trust anchors`,
  };
}

/** Depth-first over candidate issuers; `failures` collects why each dead end died, most specific first. */
function search(
  current: Node,
  nodes: Node[],
  path: string[],
  visited: Set<string>,
  at: Date,
  failures: string[],
): string[] | null {
  if (path.length >= MAX_CHAIN_DEPTH) {
    failures.push(`no anchor within ${MAX_CHAIN_DEPTH} CA certificates`);
    return null;
  }
  const issuerDn = normalizeDn(current.item.certificate.issuer);
  const candidates = nodes.filter(
    (node) =>
      !visited.has(node.item.certificate.sha256) && normalizeDn(node.item.certificate.subject) === issuerDn,
  );
  if (candidates.length === 0 && path.length > 0) {
    const { subject, issuer } = current.item.certificate;
    failures.push(
      normalizeDn(subject) === issuerDn
        ? `the chain ends at the root "${subject}", which is not a configured trust anchor`
        : `"${subject}" is issued by "${issuer}", which is neither a trust anchor nor among the reported CA certificates`,
    );
  }
  // Anchors first: the shortest trusted path wins.
  candidates.sort((a, b) => Number(b.isAnchor) - Number(a.isAnchor));
  for (const candidate of candidates) {
    const subject = candidate.item.certificate.subject;
    if (!signedBy(current.x509, candidate.x509)) {
      failures.unshift(
        `the signature on "${current.item.certificate.subject}" does not verify with the key of "${subject}"`,
      );
      continue;
    }
    const invalid = notValidReason(candidate.item, at);
    if (invalid) {
      failures.unshift(invalid);
      continue;
    }
    const nextPath = [...path, subject];
    if (candidate.isAnchor) return nextPath;
    visited.add(candidate.item.certificate.sha256);
    const found = search(candidate, nodes, nextPath, visited, at, failures);
    visited.delete(candidate.item.certificate.sha256);
    if (found) return found;
  }
  return null;
}
