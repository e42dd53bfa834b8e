import type { BoundCertificate, Finding } from "../types";
import { chainRule } from "./chain";
import type { CertificateRule, RuleContext } from "./context";
import { rsa2048Rule, sha256Rule } from "./crypto";
import { duplicateRule } from "./duplicate";
import { lifetimeRule, templateInfoRule } from "./informational";
import { cspNotKspRule, exportableRule, keySpecRule, privateKeyRule } from "./key";
import { subjectFqdnRule } from "./subject";
import { ekuServerClientRule, keyUsageRule } from "./usage";
import { validityRule } from "./validity";

/** Rules about the bound certificate itself (skipped when nothing is bound). */
export const CERTIFICATE_RULES: readonly CertificateRule[] = [
  subjectFqdnRule,
  ekuServerClientRule,
  keyUsageRule,
  rsa2048Rule,
  sha256Rule,
  validityRule,
  cspNotKspRule,
  privateKeyRule,
  exportableRule,
  keySpecRule,
  chainRule,
  templateInfoRule,
  lifetimeRule,
  duplicateRule,
];

/**
 * Every certificate rule on `bound`: the bound certificate itself (evaluateHost), or a store certificate
 * judged as if MOMCertImport had bound it (is a renewal importable?), so both get exactly the same checks.
 */
export function certificateRuleFindings(context: RuleContext, bound: BoundCertificate): Finding[] {
  const certificateContext = {
    ...context,
    bound,
    certificate: bound.evidence.certificate,
    facts: bound.evidence.facts,
  };
  return CERTIFICATE_RULES.flatMap((rule) => rule(certificateContext));
}
