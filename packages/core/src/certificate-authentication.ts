import type { HostIdentity, HostRole } from "./types";

/**
 * Why a host does or does not need a channel certificate. SCOM uses certificate authentication only
 * where Kerberos cannot work (the seed's first paragraph: gateways, workgroup and DMZ hosts, hosts in
 * domains without a two-way trust); everywhere else a domain host authenticates with Kerberos.
 * - gateway: a gateway always authenticates to its management servers with a certificate.
 * - workgroup: a host that is not domain-joined has no Kerberos identity at all.
 * - host-setting / group-setting: an admin (or an inventory) said so for this host / its management group.
 * - default: nobody said; see `DEFAULT_CERTIFICATE_AUTH_REQUIRED`.
 */
export type CertificateAuthReason = "gateway" | "workgroup" | "host-setting" | "group-setting" | "default";

export const CERTIFICATE_AUTH_REASONS: readonly CertificateAuthReason[] = [
  "gateway",
  "workgroup",
  "host-setting",
  "group-setting",
  "default",
];

export interface CertificateAuthDecision {
  required: boolean;
  reason: CertificateAuthReason;
}

export interface CertificateAuthFacts {
  role: HostRole;
  domainJoined: boolean;
  /** The per-host value an admin or inventory set; null or absent: not set. */
  hostSetting?: boolean | null;
  /** The host's management group's value; null or absent: not set (or no group). */
  groupSetting?: boolean | null;
}

/**
 * The default when neither the host nor its group says: required, for every domain-joined role.
 * Management servers: required because they are the other end of every gateway's (and every
 * workgroup agent's) certificate channel (issue 13: "default on for management servers").
 * Domain agents: also required by default, on purpose. Whether an agent can use Kerberos depends on a
 * two-way trust between its domain and its management servers' domain, which no report can show
 * (domainJoined is true in an untrusted forest too). Defaulting agents to "not required" would quietly
 * turn every missing certificate into info, including the DMZ-forest agent that really has none. So
 * an agent counts as "uses Kerberos" only once an admin (or the inventory) says so for its group or
 * itself, which is issue 13's "once inventories and collectors cover every agent".
 */
export const DEFAULT_CERTIFICATE_AUTH_REQUIRED: Readonly<Record<HostRole, boolean>> = {
  ManagementServer: true,
  Gateway: true,
  Agent: true,
};

/**
 * Decides whether a host needs a channel certificate, and why. Precedence: a gateway or a host that is
 * not domain-joined always does (no setting can turn Kerberos on where it cannot work); then the
 * per-host setting; then the management group's; then the role default.
 */
export function certificateAuthRequirement(facts: CertificateAuthFacts): CertificateAuthDecision {
  if (facts.role === "Gateway") return { required: true, reason: "gateway" };
  if (!facts.domainJoined) return { required: true, reason: "workgroup" };
  if (typeof facts.hostSetting === "boolean") return { required: facts.hostSetting, reason: "host-setting" };
  if (typeof facts.groupSetting === "boolean")
    return { required: facts.groupSetting, reason: "group-setting" };
  return { required: DEFAULT_CERTIFICATE_AUTH_REQUIRED[facts.role], reason: "default" };
}

/**
 * Whether the rules treat this host as needing a certificate. The caller's decision
 * (`host.certificateAuthRequired`, absent meaning required) is honoured, except that a gateway or a
 * workgroup host is never let off: a caller that got this wrong must not hide a real error.
 */
export function requiresCertificateAuthentication(host: HostIdentity): boolean {
  if (host.role === "Gateway" || !host.domainJoined) return true;
  return host.certificateAuthRequired !== false;
}
