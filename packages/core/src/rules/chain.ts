import { verifyChain } from "../chain-verify";
import type { CertificateWithDer } from "../types";
import { type CertificateRule, type CertificateRuleContext, finding, listOf } from "./context";

const ANCHOR_REMEDIATION =
  "Re-issue the certificate from a CA under a configured trust anchor (and have the collector report the issuing CA certificates), or add this CA's root as a trust anchor in Admin > Trust anchors if it is legitimate.";

/**
 * The server's own verdict when trust anchors are configured: the host's chain status is not trusted,
 * the path is rebuilt from the reported CA certificates and the configured ones, link by link.
 */
function anchorFindings({ certificate, input, now }: CertificateRuleContext) {
  const anchors = input.settings.trustAnchors;
  const anchorNames = listOf(anchors.map((anchor) => `"${anchor.certificate.subject}"`));
  const leafDer = input.certificateDer?.get(certificate.sha256);
  if (!leafDer) {
    return [
      finding(
        "chain",
        "error",
        `the server could not check the chain to the configured trust anchors (${anchorNames}): the certificate's bytes were not available`,
        ANCHOR_REMEDIATION,
      ),
    ];
  }
  const intermediates = input.certificates.flatMap((item): CertificateWithDer[] => {
    const der = input.certificateDer?.get(item.certificate.sha256);
    return item.certificate.isCa && der ? [{ certificate: item.certificate, der }] : [];
  });
  const verdict = verifyChain({ certificate, der: leafDer }, intermediates, anchors, now);
  if (verdict.trusted) return [];
  return [
    finding(
      "chain",
      "error",
      `the certificate does not chain to a configured trust anchor (checked by certfleet, whatever the host reports): ${verdict.reason}; trust anchors: ${anchorNames}`,
      ANCHOR_REMEDIATION,
    ),
  ];
}

/**
 * chain (seed "Download and Import the Root Certificate from the CA"): the host's own chain status, and,
 * when the admin configured trust anchors, certfleet's own check that the certificate chains to one of them.
 */
export const chainRule: CertificateRule = (context) => {
  const { certificate, facts, input } = context;
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
  if (input.settings.trustAnchors.length > 0) out.push(...anchorFindings(context));
  return out;
};
