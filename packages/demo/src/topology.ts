/**
 * Who is in the demo estate: three management groups, their Management Servers and DMZ Gateways, and
 * the agents that report to them. Names only; certificates and reports come later.
 */
import type { HostRole } from "@certfleet/contracts";
import type { Random } from "./random";

export interface DemoHost {
  fqdn: string;
  role: HostRole;
  managementGroup: string;
  domainJoined: boolean;
  /** The Management Server (or, for DMZ agents, the Gateway) the host reports to. */
  primaryServer: string | null;
}

interface GroupLayout {
  name: string;
  /** Share of the agents. */
  share: number;
  domain: string;
  servers: string[];
  gateways: string[];
  agentPrefixes: string[];
  /**
   * The group's "certificate authentication required" setting (issue 13); absent: not set. MG-BRANCH
   * says false: its agents sit in a domain its management server trusts and authenticate with Kerberos.
   */
  certificateAuthRequired?: boolean;
}

export const MANAGEMENT_GROUPS: readonly GroupLayout[] = [
  {
    name: "MG-PROD",
    share: 0.6,
    domain: "corp.contoso.com",
    servers: ["ms01", "ms02", "ms03", "ms04"],
    gateways: ["gw01", "gw02", "gw03"],
    agentPrefixes: ["app-sql", "app-web", "app-iis", "file", "print", "hv", "citrix", "exch", "db-ora"],
  },
  {
    name: "MG-EU",
    share: 0.25,
    domain: "eu.contoso.com",
    servers: ["ms05", "ms06"],
    gateways: ["gw04", "gw05"],
    agentPrefixes: ["app-sql", "app-web", "file", "hv", "sap"],
  },
  {
    name: "MG-DEV",
    share: 0.13,
    domain: "dev.contoso.com",
    servers: ["ms07", "ms08"],
    gateways: ["gw06"],
    agentPrefixes: ["dev-sql", "dev-web", "build", "test"],
  },
  {
    // Branch offices in a domain with a two-way trust, no gateway: SCOM needs no certificate there (the
    // seed's first paragraph), so the group's setting says so and its agents use Kerberos.
    name: "MG-BRANCH",
    share: 0.02,
    domain: "branch.contoso.com",
    servers: ["ms09"],
    gateways: [],
    agentPrefixes: ["branch-file", "branch-pos"],
    certificateAuthRequired: false,
  },
];

/** The demo's management-group settings, for the seed to store before the first report is evaluated. */
export function managementGroupSettings(): { name: string; certificateAuthRequired: boolean | null }[] {
  return MANAGEMENT_GROUPS.map((group) => ({
    name: group.name,
    certificateAuthRequired: group.certificateAuthRequired ?? null,
  }));
}

/** Agents of a group whose setting says no certificate is needed: they authenticate with Kerberos. */
export const usesKerberos = (host: DemoHost): boolean =>
  host.role === "Agent" &&
  host.domainJoined &&
  MANAGEMENT_GROUPS.find((group) => group.name === host.managementGroup)?.certificateAuthRequired === false;

const DMZ_DOMAIN = "dmz.contoso.com";
const DMZ_PREFIXES = ["web-dmz", "ftp-dmz", "proxy-dmz", "smtp-dmz"];
/** Share of each group's agents that sit in the DMZ, not domain-joined, behind a Gateway. */
const DMZ_SHARE = 0.04;

export const serverFqdn = (name: string): string => `${name}.contoso.com`;
export const gatewayFqdn = (name: string): string => `${name}.${DMZ_DOMAIN}`;

/** Every host of the estate, servers first, in a stable order. */
export function planTopology(agentCount: number, random: Random): DemoHost[] {
  const hosts: DemoHost[] = [];
  for (const group of MANAGEMENT_GROUPS) {
    group.servers.forEach((name, index) => {
      hosts.push({
        fqdn: serverFqdn(name),
        role: "ManagementServer",
        managementGroup: group.name,
        domainJoined: true,
        // The first server of a group is where the others were installed from: no parent.
        primaryServer: index === 0 ? null : serverFqdn(group.servers[0] as string),
      });
    });
    group.gateways.forEach((name, index) => {
      hosts.push({
        fqdn: gatewayFqdn(name),
        role: "Gateway",
        managementGroup: group.name,
        domainJoined: false,
        primaryServer: serverFqdn(group.servers[index % group.servers.length] as string),
      });
    });
  }
  const counters = new Map<string, number>();
  const nextName = (prefix: string, domain: string): string => {
    const n = (counters.get(`${prefix}.${domain}`) ?? 0) + 1;
    counters.set(`${prefix}.${domain}`, n);
    return `${prefix}-${String(n).padStart(4, "0")}.${domain}`;
  };
  let assigned = 0;
  MANAGEMENT_GROUPS.forEach((group, groupIndex) => {
    const last = groupIndex === MANAGEMENT_GROUPS.length - 1;
    const count = last ? agentCount - assigned : Math.round(agentCount * group.share);
    assigned += count;
    for (let i = 0; i < count; i++) {
      // No gateway, no DMZ agents (a group without one draws nothing, so the others' draws stay as they were).
      const dmz = group.gateways.length > 0 && random.chance(DMZ_SHARE);
      hosts.push(
        dmz
          ? {
              fqdn: nextName(random.pick(DMZ_PREFIXES), DMZ_DOMAIN),
              role: "Agent",
              managementGroup: group.name,
              domainJoined: false,
              primaryServer: gatewayFqdn(random.pick(group.gateways)),
            }
          : {
              fqdn: nextName(random.pick(group.agentPrefixes), group.domain),
              role: "Agent",
              managementGroup: group.name,
              domainJoined: true,
              primaryServer: serverFqdn(random.pick(group.servers)),
            },
      );
    }
  });
  return hosts;
}
