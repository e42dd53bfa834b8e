import { type LookupAddress, lookup } from "node:dns";
import { BlockList, isIP } from "node:net";
import type { WebhookAllowList } from "../../config";

/**
 * Where a webhook may not go unless CERTFLEET_WEBHOOK_ALLOW says so: this machine, the local
 * network, link-local (cloud metadata services live at 169.254.169.254 and fd00:ec2::254) and
 * every range that is not a public unicast destination. A webhook URL is chosen by an admin, but
 * it must not turn the API into a scanner of the network it runs in.
 */
const FORBIDDEN = new BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  FORBIDDEN.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b::", 96], // NAT64: reaches IPv4 addresses through a translator
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique-local (fd00:ec2::254, the EC2 metadata address, is here)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  FORBIDDEN.addSubnet(address, prefix, "ipv6");

export type AddressFamily = "ipv4" | "ipv6";

/**
 * ::ffff:127.0.0.1 (and ::ffff:7f00:1) is 127.0.0.1: check the IPv4 address it stands for (no
 * ::ffff:0:0/96 entry above: BlockList matches IPv4 addresses against it too, refusing them all).
 */
function unmapped(address: string): { address: string; family: AddressFamily } {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1]) return { address: dotted[1], family: "ipv4" };
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] && hex[2]) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return { address: [high >> 8, high & 255, low >> 8, low & 255].join("."), family: "ipv4" };
  }
  return { address, family: isIP(address) === 4 ? "ipv4" : "ipv6" };
}

/** True for loopback, private, link-local, unique-local, CGNAT, multicast and other non-public addresses. */
export function isForbiddenAddress(address: string): boolean {
  if (isIP(address) === 0) return true;
  const plain = unmapped(address);
  return FORBIDDEN.check(plain.address, plain.family);
}

/** The allow list compiled once per list. */
const compiled = new WeakMap<WebhookAllowList, BlockList>();

function allowedRanges(allow: WebhookAllowList): BlockList {
  let ranges = compiled.get(allow);
  if (!ranges) {
    ranges = new BlockList();
    for (const cidr of allow.cidrs) ranges.addSubnet(cidr.address, cidr.prefix, cidr.family);
    compiled.set(allow, ranges);
  }
  return ranges;
}

export function isAllowedHost(hostname: string, allow: WebhookAllowList): boolean {
  return allow.hosts.includes(bareHost(hostname));
}

export function isAllowedAddress(address: string, allow: WebhookAllowList): boolean {
  if (isIP(address) === 0) return false;
  const plain = unmapped(address);
  return allowedRanges(allow).check(plain.address, plain.family);
}

/** A URL's hostname without IPv6 brackets or a trailing dot, lower case. */
export function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/**
 * Why a webhook may not connect to `address` for this URL, or null when it may. An address the
 * allow list names (by host or CIDR) may be anything, over http too; any other must be public and
 * reached over https.
 */
export function addressRefusal(
  url: URL,
  address: string,
  allow: WebhookAllowList,
): "not-allowed-address" | "https-required" | null {
  if (isAllowedHost(url.hostname, allow) || isAllowedAddress(address, allow)) return null;
  if (isForbiddenAddress(address)) return "not-allowed-address";
  return url.protocol === "https:" ? null : "https-required";
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** Every address the system resolver gives for a host name (what the connection would use). */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    lookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });
