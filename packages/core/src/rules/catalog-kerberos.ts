/** docs/rules.md's section on which hosts need a channel certificate at all (issue 13). */
export function certificateAuthenticationLines(): string[] {
  return [
    "",
    "## Which hosts need a channel certificate",
    "",
    "SCOM uses certificate authentication only where Kerberos cannot work (the seed's first paragraph):",
    "gateways, the management servers they talk to, workgroup or DMZ hosts, and hosts in domains without a",
    "two-way trust. certfleet gives every host *certificate authentication required*, decided in this order:",
    "",
    "1. a gateway, or a host that is not domain-joined: always required (no setting changes it);",
    "2. else the per-host setting, when an admin (or an inventory) set one;",
    "3. else the host's management group setting, when set;",
    "4. else the default: required, for management servers and for domain agents alike.",
    "",
    "Agents default to required on purpose: whether an agent can use Kerberos depends on a two-way trust",
    "between its domain and its management servers' domain, which no report shows (a host in an untrusted",
    "forest is domain-joined too). Defaulting agents to not required would turn a DMZ agent's missing",
    "certificate into info. An admin turns it off for a management group (or a host) once the inventory",
    "says its agents are in trusted domains.",
    "",
    "When it is not required and the registry holds neither ChannelCertificateSerialNumber nor",
    'ChannelCertificateHash, the host uses Kerberos: `registry-serial` is info ("uses Kerberos"), the',
    "certificate rules do not run (nothing is bound), and `events` does not ask for a load event (20053);",
    "channel problems (20071 and the like) are still warnings, since they name Kerberos failures too. A host",
    "with a registry value is configured for a certificate and is judged as one whatever the setting says.",
    'The overview counts "uses Kerberos" hosts apart.',
  ];
}
