import type { Finding, RuleId } from "../types";

/**
 * Rules whose failure only a new certificate fixes (seed "Renew a Certificate" and "Create an information
 * (.inf) file": the .inf sets exactly these properties). Order is the tie-break when several fail: expiry
 * first because it is the usual reason and has a date, then the certificate's content, then the key.
 * Rules fixed without a new certificate (registry-serial: run MOMCertImport; chain: import the root;
 * events: fix what the event names) and informational rules are not here.
 */
export const RENEWAL_RULE_IDS: readonly RuleId[] = [
  "validity",
  "subject-fqdn",
  "eku-server-client",
  "key-usage",
  "rsa-2048",
  "sha256",
  "csp-not-ksp",
  "keyspec",
  "private-key",
];

/** Severity rank: errors are picked before warnings. */
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * An error of a renewal rule, or a validity warning: the bound certificate is inside the expiry warning
 * window and renewing now beats renewing after it stops working. Other warnings (an exportable key, a
 * 21020 notice) describe the certificate without making it unusable, so they never start a task.
 */
function needsRenewal(f: Finding): boolean {
  if (!(RENEWAL_RULE_IDS as readonly string[]).includes(f.ruleId)) return false;
  return f.severity === "error" || (f.severity === "warning" && f.ruleId === "validity");
}

/** The finding that makes the host need a new certificate, or null: errors first, then RENEWAL_RULE_IDS order. */
export function renewalReason(findings: Finding[]): Finding | null {
  const rank = (f: Finding) => (RENEWAL_RULE_IDS as readonly string[]).indexOf(f.ruleId);
  const [first] = findings
    .filter(needsRenewal)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || rank(a) - rank(b));
  return first ?? null;
}
