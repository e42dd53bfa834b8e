import { verifyChain } from "../chain-verify";
import type { CertificateWithDer } from "../types";
import { classOf, describeChainStatus, readChainStatuses } from "./chain-status";
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

const REVOCATION_REMEDIATION =
  "Let this host reach the CRL distribution point and AIA URLs in its certificates (usually HTTP on port 80 through the DMZ firewall), or publish the CRL where it can; then check with certutil -verify -urlfetch on the exported certificate.";

/** The host's own chain verdict: an error, or a warning when revocation alone could not be checked. */
function hostChainFindings({ certificate, facts }: CertificateRuleContext) {
  const problems = readChainStatuses(facts.hostChainStatus ?? []).filter(
    (status) => classOf(status) !== "none",
  );
  const issuer = `issuer "${certificate.issuer}"`;
  if (problems.length === 0) {
    return [
      finding(
        "chain",
        "error",
        `the host could not build a trusted chain for this certificate (${issuer}) (no chain status was reported)`,
      ),
    ];
  }
  const untrusted = problems.filter((status) => classOf(status) === "untrusted");
  if (untrusted.length === 0) {
    return [
      finding(
        "chain",
        "warning",
        `the host could not check whether this certificate (${issuer}) or its CA is revoked: ${listOf(problems.map(describeChainStatus))}; the host reported no other chain problem, so the chain is trusted but this host (a DMZ host, typically) cannot reach the CRL or OCSP server`,
        REVOCATION_REMEDIATION,
      ),
    ];
  }
  const others = problems.filter((status) => classOf(status) !== "untrusted");
  const also = others.length > 0 ? `; also ${listOf(others.map(describeChainStatus))}` : "";
  return [
    finding(
      "chain",
      "error",
      `the host could not build a trusted chain for this certificate (${issuer}): ${listOf(untrusted.map(describeChainStatus))}${also}`,
    ),
  ];
}

/**
 * chain (seed "Download and Import the Root Certificate from the CA"): the host's own chain status, and,
 * when the admin configured trust anchors, certfleet's own check that the certificate chains to one of them.
 */
export const chainRule: CertificateRule = (context) => {
  const out = [];
  if (context.facts.hostChainValid === false) out.push(...hostChainFindings(context));
  if (context.input.settings.trustAnchors.length > 0) out.push(...anchorFindings(context));
  return out;
};
