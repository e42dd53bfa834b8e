import type { CandidateCertificateFacts } from "@certfleet/contracts";
import type {
  BoundCertificate,
  Finding,
  HostEvaluationInput,
  ParsedCertificate,
  RuleId,
  Severity,
} from "../types";
import { ruleMeta } from "./catalog";

/** What every rule sees. `now` is the report's collectedAt: rules never read the clock. */
export interface RuleContext {
  input: HostEvaluationInput;
  bound: BoundCertificate | null;
  now: Date;
}

/** Rules about the certificate itself run only on the bound certificate. */
export interface CertificateRuleContext extends RuleContext {
  bound: BoundCertificate;
  certificate: ParsedCertificate;
  facts: CandidateCertificateFacts;
}

export type HostRule = (context: RuleContext) => Finding[];
export type CertificateRule = (context: CertificateRuleContext) => Finding[];

/** A finding; the remediation defaults to the catalog's so none is ever missing. */
export function finding(ruleId: RuleId, severity: Severity, message: string, remediation?: string): Finding {
  return { ruleId, severity, message, remediation: remediation ?? ruleMeta(ruleId).remediation };
}

/** "a, b and c" */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
