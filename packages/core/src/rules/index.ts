import { chainRule } from "./chain";
import { collectorTokensRule } from "./collector-tokens";
import type { CertificateRule, HostRule } from "./context";
import { rsa2048Rule, sha256Rule } from "./crypto";
import { duplicateRule } from "./duplicate";
import { eventsRule } from "./events";
import { lifetimeRule, templateInfoRule } from "./informational";
import { cspNotKspRule, exportableRule, keySpecRule, privateKeyRule } from "./key";
import { registrySerialRule } from "./registry";
import { subjectFqdnRule } from "./subject";
import { ekuServerClientRule, keyUsageRule } from "./usage";
import { validityRule } from "./validity";

export { RULE_CATALOG, type RuleMeta, ruleMeta } from "./catalog";
export type { CertificateRule, CertificateRuleContext, HostRule, RuleContext } from "./context";

/** Rules that run whether or not a certificate is bound. */
export const HOST_RULES: readonly HostRule[] = [registrySerialRule, eventsRule, collectorTokensRule];

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
