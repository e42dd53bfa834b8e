import { collectorTokensRule } from "./collector-tokens";
import type { HostRule } from "./context";
import { eventsRule } from "./events";
import { registrySerialRule } from "./registry";

export { RULE_CATALOG, type RuleMeta, ruleMeta } from "./catalog";
export { CERTIFICATE_RULES, certificateRuleFindings } from "./certificate-rules";
export type { CertificateRule, CertificateRuleContext, HostRule, RuleContext } from "./context";

/** Rules that run whether or not a certificate is bound. */
export const HOST_RULES: readonly HostRule[] = [registrySerialRule, eventsRule, collectorTokensRule];
