import { findBoundCertificate } from "./binding";
import { certificateRuleFindings, HOST_RULES } from "./rules";
import type { RuleContext } from "./rules/context";
import { usesKerberos } from "./rules/kerberos";
import {
  type Finding,
  type HostEvaluation,
  type HostEvaluationInput,
  type HostStatus,
  RULE_IDS,
  type RuleId,
  type Severity,
} from "./types";

export { findBoundCertificate } from "./binding";

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

function ruleOrder(ruleId: string): number {
  // Finding.ruleId is a plain string in the contract; an unknown id simply sorts last.
  const index = RULE_IDS.indexOf(ruleId as RuleId);
  return index === -1 ? RULE_IDS.length : index;
}

/**
 * Severity first (error, warning, info), then rule id in RULE_IDS (catalog) order, then message text, so
 * the same input always yields the same list, byte for byte.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      ruleOrder(a.ruleId) - ruleOrder(b.ruleId) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** error if any error finding, else warning if any warning, else ok; info never changes the status. */
export function statusOf(findings: readonly Finding[]): HostStatus {
  if (findings.some((f) => f.severity === "error")) return "error";
  if (findings.some((f) => f.severity === "warning")) return "warning";
  return "ok";
}

/**
 * Evaluates one host report against the SCOM rules. Certificate rules run on the bound certificate only;
 * with nothing bound, only registry-serial (an error, or info for a host using Kerberos) and events
 * apply. Pure: time is input.collectedAt.
 */
export function evaluateHost(input: HostEvaluationInput): HostEvaluation {
  const bound = findBoundCertificate(input.registry, input.certificates);
  const context: RuleContext = { input, bound, now: input.collectedAt };
  const findings: Finding[] = HOST_RULES.flatMap((rule) => rule(context));
  if (bound) findings.push(...certificateRuleFindings(context, bound));
  const sorted = sortFindings(findings);
  return { bound, status: statusOf(sorted), findings: sorted, usesKerberos: usesKerberos(context) };
}
