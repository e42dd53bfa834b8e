/**
 * Plans the whole demo estate: topology, one scenario per host, expiry buckets, silence, renewal
 * histories, inventory; then every host's reports. Pure and deterministic for a given (now, agents, seed).
 */
import type { ExpiryBucket } from "@certfleet/core";
import { CertificateBook, HOUR } from "./certificate-plans";
import { type HostAttributes, type HostContext, planHost } from "./host-plan";
import type { EstatePlan, HostPlan } from "./plan-types";
import { createRandom, type Random } from "./random";
import { assignScenarios, RENEWAL_SCENARIOS } from "./scenarios";
import { createSerialSource } from "./serials";
import { type DemoHost, planTopology } from "./topology";

export interface DemoEstateOptions {
  now: Date;
  /** Agents in the estate (default 3,000); servers and gateways are fixed. */
  agents?: number;
  seed?: number;
}

export const DEFAULT_AGENTS = 3000;
export const DEFAULT_SEED = 20261125;

/** Quotas over healthy agents, as a share of all agents with a floor so a small estate has some of each. */
const AGENT_BUCKETS: readonly [ExpiryBucket, number, number][] = [
  ["expired", 0.01, 2],
  ["d7", 0.01, 2],
  ["d30", 0.02, 2],
  ["d60", 0.03, 2],
  ["d90", 0.03, 2],
];
const SILENT = { share: 0.02, min: 3 };
const RENEWED_HISTORY = { share: 0.015, min: 3 };
const NEVER_REPORTED = { share: 0.002, min: 3 };
/** Reporting agents missing from the inventory (someone installed an agent the CMDB does not know). */
const UNLISTED = { share: 0.005, min: 2 };
const TEMPLATELESS_AGENTS = 0.3;
const HASH_WRITING_AGENTS = 0.5;

const SERVER_ATTRIBUTES: Readonly<Record<string, Partial<HostAttributes>>> = {
  "ms01.contoso.com": { renewals: 2 },
  "ms03.contoso.com": { renewals: 3 },
  "ms04.contoso.com": { bucket: "d60" },
  "ms07.contoso.com": { template: false },
  "gw02.dmz.contoso.com": { bucket: "d30" },
  "gw04.dmz.contoso.com": { bucket: "d7" },
};

const quota = (share: number, min: number, total: number) => Math.max(min, Math.round(share * total));

export function planDemoEstate(options: DemoEstateOptions): EstatePlan {
  const now = options.now;
  const agentCount = options.agents ?? DEFAULT_AGENTS;
  const random = createRandom(options.seed ?? DEFAULT_SEED);
  const hosts = planTopology(agentCount, random);
  const attributes = planAttributes(hosts, agentCount, random);
  const book = new CertificateBook(createSerialSource(random));
  const agents = hosts.filter((host) => host.role === "Agent");
  const context: HostContext = {
    now,
    random,
    book,
    otherHostName: (host) => {
      const candidates = agents.filter((a) => a.managementGroup === host.managementGroup && a !== host);
      return random.pick(candidates.length > 0 ? candidates : agents).fqdn;
    },
  };

  const clones = hosts.filter((host) => attributes.get(host)?.scenario === "cloned");
  const originals = pickOriginals(clones, hosts, attributes, random);
  const plans = new Map<DemoHost, HostPlan>();
  for (const host of hosts) {
    const own = attributes.get(host) as HostAttributes;
    if (own.scenario === "cloned") continue;
    const collectedAt = originals.has(host)
      ? new Date(now.getTime() - random.int(10, 20) * HOUR) // well before its clone reports
      : collectedAtFor(own, now, random);
    plans.set(host, planHost(host, own, collectedAt, context));
  }
  for (const clone of clones) {
    const original = originals.get(clone) as DemoHost;
    const originalPlan = plans.get(original) as HostPlan;
    const source = originalPlan.reports.at(-1) as HostPlan["reports"][number];
    const bound = book.all[source.registry?.certificate ?? -1];
    if (!bound) throw new Error(`clone source ${original.fqdn} has no bound certificate`);
    const collectedAt = new Date(source.collectedAt.getTime() + random.int(3, 6) * HOUR);
    plans.set(clone, planHost(clone, attributes.get(clone) as HostAttributes, collectedAt, context, bound));
    // The original reports again after its clone, so it shows the duplicate too: a warning, since the
    // certificate names it (issue 13).
    originalPlan.reports.push({
      ...source,
      collectedAt: new Date(collectedAt.getTime() + random.int(1, 3) * HOUR),
    });
  }
  return { now, certificates: book.all, hosts: hosts.map((host) => plans.get(host) as HostPlan) };
}

/** Pairs each clone with a healthy agent of its management group: the VM it was cloned from. */
function pickOriginals(
  clones: DemoHost[],
  hosts: DemoHost[],
  attributes: Map<DemoHost, HostAttributes>,
  random: Random,
): Map<DemoHost, DemoHost> {
  const pairs = new Map<DemoHost, DemoHost>();
  const used = new Set<DemoHost>();
  for (const clone of clones) {
    const candidates = hosts.filter((host) => {
      const own = attributes.get(host);
      return (
        host.role === "Agent" &&
        host.managementGroup === clone.managementGroup &&
        !used.has(host) &&
        own?.scenario === "healthy" &&
        own.bucket === "later" &&
        // It reports once more after its clone: keep its history to the one current certificate.
        own.renewals === 0 &&
        !own.silent &&
        !own.neverReported
      );
    });
    const original = random.pick(candidates);
    used.add(original);
    pairs.set(clone, original);
    pairs.set(original, clone);
  }
  for (const clone of clones) {
    const own = attributes.get(pairs.get(clone) as DemoHost);
    if (own) own.scenario = "clone-source";
  }
  return pairs;
}

function collectedAtFor(attributes: HostAttributes, now: Date, random: Random): Date {
  // Collectors run daily; silent hosts stopped 3 to 10 days ago.
  const ago = attributes.silent ? random.int(3 * 24, 10 * 24) * HOUR : random.int(12, 20 * 60) * 60_000;
  return new Date(now.getTime() - ago - random.int(0, 59) * 1000);
}

function planAttributes(
  hosts: DemoHost[],
  agentCount: number,
  random: Random,
): Map<DemoHost, HostAttributes> {
  const scenarios = assignScenarios(hosts, random);
  const attributes = new Map<DemoHost, HostAttributes>();
  for (const host of hosts) {
    const scenario = scenarios.get(host.fqdn) ?? "healthy";
    const agent = host.role === "Agent";
    attributes.set(host, {
      scenario,
      // Renewed-but-not-reimported hosts are bound to a certificate about to expire.
      bucket: RENEWAL_SCENARIOS.has(scenario) ? (random.chance(0.5) ? "d7" : "d30") : "later",
      silent: false,
      renewals: 0,
      template: agent ? !random.chance(TEMPLATELESS_AGENTS) : true,
      usesHash: agent ? random.chance(HASH_WRITING_AGENTS) : true,
      inventory: true,
      neverReported: false,
      ...(SERVER_ATTRIBUTES[host.fqdn] ?? {}),
    });
  }
  // Each orthogonal trait goes to healthy agents not yet given another, so each stays easy to read.
  const pool = random.shuffle(
    hosts.filter((host) => host.role === "Agent" && attributes.get(host)?.scenario === "healthy"),
  );
  const take = (count: number, apply: (own: HostAttributes, index: number) => void) => {
    let index = 0;
    for (const host of pool) {
      if (index === count) return;
      const own = attributes.get(host) as HostAttributes;
      if (own.bucket !== "later" || own.silent || own.renewals > 0 || own.neverReported || !own.inventory)
        continue;
      apply(own, index++);
    }
  };
  for (const [bucket, share, min] of AGENT_BUCKETS)
    take(quota(share, min, agentCount), (own) => (own.bucket = bucket));
  take(quota(SILENT.share, SILENT.min, agentCount), (own) => (own.silent = true));
  // Two or three renewals each (a few with one), so serial histories have some depth.
  take(
    quota(RENEWED_HISTORY.share, RENEWED_HISTORY.min, agentCount),
    (own, i) => (own.renewals = [2, 3, 1][i % 3] ?? 2),
  );
  take(quota(NEVER_REPORTED.share, NEVER_REPORTED.min, agentCount), (own) => (own.neverReported = true));
  take(quota(UNLISTED.share, UNLISTED.min, agentCount), (own) => (own.inventory = false));
  return attributes;
}
