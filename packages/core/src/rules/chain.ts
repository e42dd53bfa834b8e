import { normalizeDn } from "../names";
import type { ParsedCertificate } from "../types";
import { type CertificateRule, finding, listOf } from "./context";

/** Deep enough for any real PKI (root, policy, issuing CA); stops loops in odd CA sets. */
const MAX_CHAIN_DEPTH = 8;

/**
 * Follows issuer names upward through the known CA certificates until a configured trust anchor is met.
 * Returns the DNs walked (issuer first) and whether an anchor was reached. Names only: the host already
 * verified signatures when it built its chain (hostChainValid); this check is about *which* roots are allowed.
 */
function walkToAnchor(
  issuerDn: string,
  anchors: ParsedCertificate[],
  cas: ParsedCertificate[],
): { path: string[]; trusted: boolean } {
  const anchorSubjects = new Set(anchors.map((a) => normalizeDn(a.subject)));
  const path: string[] = [];
  let current = issuerDn;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    path.push(current);
    if (anchorSubjects.has(normalizeDn(current))) return { path, trusted: true };
    const parent = cas.find((c) => normalizeDn(c.subject) === normalizeDn(current));
    if (!parent || normalizeDn(parent.issuer) === normalizeDn(parent.subject)) break;
    if (path.some((dn) => normalizeDn(dn) === normalizeDn(parent.issuer))) break;
    current = parent.issuer;
  }
  return { path, trusted: false };
}

/**
 * chain (seed "Download and Import the Root Certificate from the CA"): the host's own chain status, and,
 * when the admin configured trust anchors, that the issuer leads to one of them.
 */
export const chainRule: CertificateRule = ({ certificate, facts, input }) => {
  const out = [];
  if (facts.hostChainValid === false) {
    const statuses = facts.hostChainStatus ?? [];
    const detail = statuses.length > 0 ? `: ${listOf(statuses)}` : " (no chain status was reported)";
    out.push(
      finding(
        "chain",
        "error",
        `the host could not build a trusted chain for this certificate (issuer "${certificate.issuer}")${detail}`,
      ),
    );
  }
  const anchors = input.settings.trustAnchors;
  if (anchors.length > 0) {
    const { path, trusted } = walkToAnchor(certificate.issuer, anchors, input.issuerCandidates);
    if (!trusted) {
      const walked = path.length > 1 ? ` (walked ${path.map((dn) => `"${dn}"`).join(" -> ")})` : "";
      out.push(
        finding(
          "chain",
          "error",
          `issuer "${certificate.issuer}" does not lead to a configured trust anchor${walked}; trust anchors: ${listOf(anchors.map((a) => `"${a.subject}"`))}`,
          "Re-issue the certificate from a CA under a configured trust anchor, or add this CA's root as a trust anchor in certfleet's settings if it is legitimate.",
        ),
      );
    }
  }
  return out;
};
