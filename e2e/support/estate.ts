// The e2e estate: a dozen hosts across roles, management groups, expiry buckets and statuses, built
// from real certificates (issued in code by @certfleet/pki) and posted through the public API
// (POST /api/v1/reports) exactly as a collector would.
import { randomBytes } from "node:crypto";
import type { CandidateCertificateFacts, HostRole, Report } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate } from "@certfleet/core";
import { createLeaf, createTestIssuer, type TestIssuer } from "@certfleet/pki";
import { COLLECTOR_TOKEN } from "./env";

const DAY = 86_400_000;
const DOMAIN = "fleet.e2e.test";

const HEALTHY: CandidateCertificateFacts = {
  hasPrivateKey: true,
  keyProvider: "Microsoft RSA SChannel Cryptographic Provider",
  keyProviderType: "CSP",
  keySpec: 1,
  keyExportable: false,
  hostChainValid: true,
  hostChainStatus: [],
  store: "LocalMachine\\My",
  machineKeySet: true,
};

interface HostPlan {
  name: string;
  role: HostRole;
  managementGroup: string | null;
  /** Days until the bound certificate expires (negative: expired). */
  expiresInDays: number;
  signatureHash?: "SHA-1" | "SHA-256";
  facts?: Partial<CandidateCertificateFacts>;
  /** No ChannelCertificateSerialNumber: MOMCertImport never ran. */
  noRegistry?: boolean;
  /** A newer certificate sits in the store but the registry still names the old one. */
  renewedNotImported?: boolean;
  /** The last report is this many days old (silent after 48 h). */
  reportedDaysAgo?: number;
  templateless?: boolean;
}

/** What each host is for; the assertions read the API, so these only need to produce variety. */
export const E2E_HOSTS: HostPlan[] = [
  { name: "ms01", role: "ManagementServer", managementGroup: "MG-E2E-PROD", expiresInDays: 400 },
  { name: "ms02", role: "ManagementServer", managementGroup: "MG-E2E-PROD", expiresInDays: 20 },
  { name: "gw01", role: "Gateway", managementGroup: "MG-E2E-DMZ", expiresInDays: 250 },
  { name: "gw02", role: "Gateway", managementGroup: "MG-E2E-DMZ", expiresInDays: 5 },
  {
    name: "agent01",
    role: "Agent",
    managementGroup: "MG-E2E-PROD",
    expiresInDays: 300,
    signatureHash: "SHA-1",
  },
  { name: "agent02", role: "Agent", managementGroup: "MG-E2E-PROD", expiresInDays: -3 },
  { name: "agent03", role: "Agent", managementGroup: "MG-E2E-PROD", expiresInDays: 200, noRegistry: true },
  {
    name: "agent04",
    role: "Agent",
    managementGroup: "MG-E2E-DMZ",
    expiresInDays: 150,
    facts: { keyProvider: "Microsoft Software Key Storage Provider", keyProviderType: "KSP" },
  },
  { name: "agent05", role: "Agent", managementGroup: "MG-E2E-DMZ", expiresInDays: 45 },
  { name: "agent06", role: "Agent", managementGroup: "MG-E2E-PROD", expiresInDays: 75, templateless: true },
  { name: "agent07", role: "Agent", managementGroup: "MG-E2E-PROD", expiresInDays: 120, reportedDaysAgo: 5 },
  {
    name: "agent08",
    role: "Agent",
    managementGroup: "MG-E2E-PROD",
    expiresInDays: 12,
    renewedNotImported: true,
  },
  { name: "agent09", role: "Agent", managementGroup: null, expiresInDays: 160 },
];

export const fqdnOf = (name: string) => `${name}.${DOMAIN}`;

type Pki = TestIssuer;

const createPki = (): Promise<Pki> => createTestIssuer("CN=Fleet E2E Issuing CA, O=certfleet e2e");

/** An AD CS-looking 19-byte serial, random so reruns against a kept database never collide. */
const newSerial = () => `1F${randomBytes(18).toString("hex").toUpperCase()}`;

async function issue(pki: Pki, fqdn: string, plan: HostPlan, notAfter: Date, notBefore: Date) {
  const der = await createLeaf(pki.issuer, {
    keys: pki.leafKeys,
    subject: `CN=${fqdn}`,
    dnsNames: [fqdn],
    serialHex: newSerial(),
    notBefore,
    notAfter,
    signatureHash: plan.signatureHash ?? "SHA-256",
    templateV2: plan.templateless ? null : { oid: "1.3.6.1.4.1.311.21.8.77.1", major: 100, minor: 2 },
  });
  const parsed = parseCertificate(der);
  return {
    base64: Buffer.from(der).toString("base64"),
    registryHex: certificateSerialToRegistryHex(parsed.serialNumber),
  };
}

async function buildReport(pki: Pki, plan: HostPlan): Promise<Report> {
  const fqdn = fqdnOf(plan.name);
  const collectedAt = new Date(Date.now() - (plan.reportedDaysAgo ?? 0) * DAY - 60_000);
  const notAfter = new Date(Date.now() + plan.expiresInDays * DAY);
  // Valid since a month ago (or a year before an expired one's end): never "not yet valid".
  const notBefore = new Date(Math.min(Date.now() - 30 * DAY, notAfter.getTime() - 365 * DAY));
  const bound = await issue(pki, fqdn, plan, notAfter, notBefore);
  const certificates = [{ der: bound.base64, ...HEALTHY, ...plan.facts }];
  if (plan.renewedNotImported) {
    const renewed = await issue(
      pki,
      fqdn,
      plan,
      new Date(Date.now() + 700 * DAY),
      new Date(Date.now() - DAY),
    );
    certificates.push({ der: renewed.base64, ...HEALTHY });
  }
  return {
    schemaVersion: 1,
    collectedAt: collectedAt.toISOString(),
    host: {
      fqdn,
      role: plan.role,
      managementGroup: plan.managementGroup,
      domainJoined: true,
      primaryServer: plan.role === "Agent" ? fqdnOf("ms01") : null,
    },
    registry: { channelCertificateSerialNumber: plan.noRegistry ? null : bound.registryHex },
    certificates,
    events: plan.noRegistry
      ? []
      : [
          {
            id: 20053,
            time: new Date(collectedAt.getTime() - 3_600_000).toISOString(),
            message: "The OpsMgr Connector has loaded the specified authentication certificate successfully.",
          },
        ],
  };
}

async function post(baseURL: string, report: Report): Promise<void> {
  const response = await fetch(`${baseURL}/api/v1/reports`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${COLLECTOR_TOKEN}` },
    body: JSON.stringify(report),
  });
  if (!response.ok) {
    throw new Error(
      `POST /api/v1/reports for ${report.host.fqdn}: ${response.status} ${await response.text()}`,
    );
  }
}

/**
 * Posts the e2e estate once per stack. Every spec calls this in beforeAll; the first one does the
 * work (the stack's database is fresh per run), later ones see the hosts and return at once.
 */
export async function ensureEstate(baseURL: string): Promise<void> {
  const probe = await fetch(`${baseURL}/api/v1/hosts/${fqdnOf(E2E_HOSTS.at(-1)?.name ?? "ms01")}`);
  if (probe.ok) return;
  const pki = await createPki();
  for (const plan of E2E_HOSTS) await post(baseURL, await buildReport(pki, plan));
}
