/**
 * What is wrong with a demo host, if anything. Each broken scenario trips one SCOM rule (and whatever a
 * real host in that state would also trip, e.g. the OpsMgr Connector event that goes with it), so every
 * rule in the catalog fails on a few hosts and the rest of the estate stays healthy.
 */
import type { RuleId } from "@certfleet/core";
import type { Random } from "./random";
import { type DemoHost, usesKerberos } from "./topology";

export const SCENARIO_IDS = [
  "healthy",
  "renewed-not-reimported",
  "renewal-without-key",
  "renewal-ksp",
  "subject-other-name",
  "subject-netbios-on-domain",
  "subject-netbios-on-fqdn-host",
  "subject-several-cns",
  "eku-server-only",
  "key-usage-signature-only",
  "rsa-1024",
  "ecc-key",
  "sha1",
  "not-yet-valid",
  "ksp",
  "ksp-untyped",
  "csp-typed-ksp",
  "no-private-key",
  "user-key-set",
  "wrong-store",
  "not-exportable",
  "keyspec-signature",
  "keyspec-unreported",
  "untrusted-ca",
  "revocation-offline",
  "never-imported",
  "stale-registry",
  "missing-sign-byte",
  "hash-mismatch",
  "channel-rejected",
  "registry-certificate-unusable",
  "mutual-auth-failed",
  "load-unconfirmed",
  "long-lifetime",
  "cloned",
  "uses-kerberos",
  "clone-source",
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface ScenarioMeta {
  /** The rule this scenario exists to trip. */
  rule: RuleId | null;
  /** Agents per thousand with this scenario, at least `min` (both 0: the planner assigns it, see plan.ts). */
  perThousand: number;
  min: number;
  /** Which agents can be in this state (DMZ-only problems need a host that is not domain-joined). */
  eligible?: (host: DemoHost) => boolean;
}

const dmz = (host: DemoHost) => !host.domainJoined;
const domain = (host: DemoHost) => host.domainJoined;

export const SCENARIOS: Readonly<Record<Exclude<ScenarioId, "healthy">, ScenarioMeta>> = {
  "renewed-not-reimported": { rule: "registry-serial", perThousand: 10, min: 3 },
  // Issue 13: a renewal SCOM could not use is named with its reason, not "run MOMCertImport".
  "renewal-without-key": { rule: "registry-serial", perThousand: 1, min: 2 },
  "renewal-ksp": { rule: "registry-serial", perThousand: 1, min: 2 },
  "subject-other-name": { rule: "subject-fqdn", perThousand: 1, min: 2 },
  "subject-netbios-on-domain": { rule: "subject-fqdn", perThousand: 0.5, min: 1, eligible: domain },
  "subject-netbios-on-fqdn-host": { rule: "subject-fqdn", perThousand: 0.5, min: 1, eligible: dmz },
  "subject-several-cns": { rule: "subject-fqdn", perThousand: 0.5, min: 1 },
  "eku-server-only": { rule: "eku-server-client", perThousand: 1, min: 2 },
  "key-usage-signature-only": { rule: "key-usage", perThousand: 1, min: 2 },
  "rsa-1024": { rule: "rsa-2048", perThousand: 1.5, min: 2 },
  "ecc-key": { rule: "rsa-2048", perThousand: 0.5, min: 1 },
  sha1: { rule: "sha256", perThousand: 2, min: 2 },
  "not-yet-valid": { rule: "validity", perThousand: 0.5, min: 1 },
  ksp: { rule: "csp-not-ksp", perThousand: 1.5, min: 2 },
  "ksp-untyped": { rule: "csp-not-ksp", perThousand: 0.5, min: 1 },
  "csp-typed-ksp": { rule: "csp-not-ksp", perThousand: 0.5, min: 1 },
  "no-private-key": { rule: "private-key", perThousand: 1, min: 2 },
  "user-key-set": { rule: "private-key", perThousand: 0.5, min: 1 },
  "wrong-store": { rule: "private-key", perThousand: 0.5, min: 1 },
  "not-exportable": { rule: "exportable", perThousand: 3, min: 2, eligible: dmz },
  "keyspec-signature": { rule: "keyspec", perThousand: 1, min: 2 },
  "keyspec-unreported": { rule: "keyspec", perThousand: 0.5, min: 1 },
  "untrusted-ca": { rule: "chain", perThousand: 1, min: 2 },
  "revocation-offline": { rule: "chain", perThousand: 1, min: 2, eligible: dmz },
  "never-imported": { rule: "registry-serial", perThousand: 1, min: 2 },
  "stale-registry": { rule: "registry-serial", perThousand: 1, min: 2 },
  "missing-sign-byte": { rule: "registry-serial", perThousand: 0.5, min: 1 },
  "hash-mismatch": { rule: "registry-serial", perThousand: 0.5, min: 1 },
  "channel-rejected": { rule: "events", perThousand: 1, min: 2 },
  // Issue 13's connector events beyond the seed: a load failure (21036) and a channel problem (21007).
  "registry-certificate-unusable": { rule: "events", perThousand: 0.5, min: 1 },
  "mutual-auth-failed": { rule: "events", perThousand: 0.5, min: 1 },
  "load-unconfirmed": { rule: "events", perThousand: 1, min: 2 },
  "long-lifetime": { rule: "lifetime", perThousand: 1, min: 2 },
  cloned: { rule: "duplicate", perThousand: 0.5, min: 1 },
  // Not drawn: every agent of a group that needs no certificate (MG-BRANCH) has it (assignScenarios).
  "uses-kerberos": { rule: "registry-serial", perThousand: 0, min: 0, eligible: () => false },
  // The host a clone was copied from (its certificate names it): the duplicate warning (issue 13).
  "clone-source": { rule: "duplicate", perThousand: 0, min: 0 },
};

/** Scenarios whose renewal auto-enrollment put in the store: their bound certificate is about to expire. */
export const RENEWAL_SCENARIOS: ReadonlySet<ScenarioId> = new Set([
  "renewed-not-reimported",
  "renewal-without-key",
  "renewal-ksp",
]);

/** Management Servers and Gateways are few and named: their state is chosen, not drawn. */
export const SERVER_SCENARIOS: Readonly<Record<string, ScenarioId>> = {
  "ms06.contoso.com": "renewed-not-reimported",
  "ms08.contoso.com": "sha1",
  "gw05.dmz.contoso.com": "not-exportable",
  "gw06.dmz.contoso.com": "revocation-offline",
};

export function scenarioCount(meta: ScenarioMeta, agents: number): number {
  return Math.max(meta.min, Math.round((meta.perThousand * agents) / 1000));
}

/**
 * One scenario per agent: each broken scenario gets its quota from the eligible agents still healthy,
 * rarest eligibility first so DMZ-only scenarios find their hosts.
 */
export function assignScenarios(hosts: readonly DemoHost[], random: Random): Map<string, ScenarioId> {
  const assigned = new Map<string, ScenarioId>();
  for (const host of hosts) {
    if (host.role !== "Agent") assigned.set(host.fqdn, SERVER_SCENARIOS[host.fqdn] ?? "healthy");
    else if (usesKerberos(host)) assigned.set(host.fqdn, "uses-kerberos");
  }
  const agents = hosts.filter((host) => host.role === "Agent");
  const order = (Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]).sort(
    (a, b) => Number(Boolean(SCENARIOS[b].eligible)) - Number(Boolean(SCENARIOS[a].eligible)),
  );
  const pool = random.shuffle(agents);
  for (const id of order) {
    const meta = SCENARIOS[id];
    let wanted = scenarioCount(meta, agents.length);
    for (const host of pool) {
      if (wanted === 0) break;
      if (assigned.has(host.fqdn) || !(meta.eligible?.(host) ?? true)) continue;
      assigned.set(host.fqdn, id);
      wanted--;
    }
  }
  for (const host of agents) if (!assigned.has(host.fqdn)) assigned.set(host.fqdn, "healthy");
  return assigned;
}
