/**
 * A healthy SCOM estate in miniature: a root and an issuing CA, and a Management Server certificate that
 * meets every rule. Tests break one thing at a time from here.
 */
import type { CandidateCertificateFacts, ConnectorEvent } from "@certfleet/contracts";
import { certificateSerialToRegistryHex, parseCertificate } from "../../src/index";
import type {
  CandidateCertificateEvidence,
  CertificateWithDer,
  Finding,
  HostEvaluation,
  HostEvaluationInput,
  HostIdentity,
  ParsedCertificate,
  RuleId,
} from "../../src/types";
import {
  createCa,
  createLeaf,
  generateEcKeys,
  generateRsaKeys,
  type Issuer,
  type KeyPair,
  type LeafOptions,
} from "./certificates";

/** When the collector read the host. */
export const NOW = new Date("2026-06-01T12:00:00Z");
export const DAY = 24 * 60 * 60 * 1000;
export const daysFromNow = (days: number): Date => new Date(NOW.getTime() + days * DAY);

export const HOST: HostIdentity = { fqdn: "ms01.contoso.com", role: "ManagementServer", domainJoined: true };

/** An AD CS-style 19-octet serial (requester id + sequence), as Windows shows it. */
export const HEALTHY_SERIAL = "1F00000008C694DAC94BCFDC4A000000000008";

export const HEALTHY_FACTS: CandidateCertificateFacts = {
  hasPrivateKey: true,
  keyProvider: "Microsoft RSA SChannel Cryptographic Provider",
  keyProviderType: "CSP",
  keySpec: 1,
  keyExportable: true,
  hostChainValid: true,
  hostChainStatus: [],
  store: "LocalMachine\\My",
  machineKeySet: true,
};

export interface Fixture {
  keys: { ca: KeyPair; leaf: KeyPair; rsa1024: KeyPair; ec: KeyPair };
  root: Issuer;
  issuing: Issuer;
  rootParsed: ParsedCertificate;
  issuingParsed: ParsedCertificate;
  /** The CAs as trust anchors (parse + DER). */
  rootAnchor: CertificateWithDer;
  issuingAnchor: CertificateWithDer;
  /** DER of every certificate this fixture built, by sha256 (what ingest hands the chain rule). */
  der: Map<string, Uint8Array>;
  /** The healthy certificate's options; `leaf()` overrides them. */
  healthyOptions: LeafOptions;
  healthy: ParsedCertificate;
  /** A certificate from the issuing CA: the healthy one with `overrides` applied. */
  leaf(overrides?: Partial<LeafOptions>): Promise<ParsedCertificate>;
}

export async function createFixture(): Promise<Fixture> {
  const [ca, leafKeys, rsa1024, ec] = await Promise.all([
    generateRsaKeys(2048),
    generateRsaKeys(2048),
    generateRsaKeys(1024),
    generateEcKeys("P-256"),
  ]);
  const root = await createCa({
    subject: "CN=Contoso Root CA, O=Contoso",
    keys: ca,
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2040-01-01T00:00:00Z"),
  });
  const issuing = await createCa({
    subject: "CN=Contoso Issuing CA 1, O=Contoso",
    keys: ca,
    issuer: root,
    notBefore: new Date("2022-01-01T00:00:00Z"),
    notAfter: new Date("2034-01-01T00:00:00Z"),
    serialHex: "02",
  });
  const healthyOptions: LeafOptions = {
    keys: leafKeys,
    subject: "CN=ms01.contoso.com, O=Contoso",
    dnsNames: ["ms01.contoso.com"],
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2027-01-01T00:00:00Z"),
    serialHex: HEALTHY_SERIAL,
    templateV2: { oid: "1.3.6.1.4.1.311.21.8.1234567.7654321.1", major: 100, minor: 3 },
  };
  const der = new Map<string, Uint8Array>();
  const remember = (bytes: Uint8Array): ParsedCertificate => {
    const parsed = parseCertificate(bytes);
    der.set(parsed.sha256, bytes);
    return parsed;
  };
  const leaf = async (overrides: Partial<LeafOptions> = {}) =>
    remember(await createLeaf(issuing, { ...healthyOptions, ...overrides }));
  const rootParsed = remember(root.der);
  const issuingParsed = remember(issuing.der);
  return {
    keys: { ca, leaf: leafKeys, rsa1024, ec },
    root,
    issuing,
    rootParsed,
    issuingParsed,
    rootAnchor: { certificate: rootParsed, der: root.der },
    issuingAnchor: { certificate: issuingParsed, der: issuing.der },
    der,
    healthyOptions,
    healthy: await leaf(),
    leaf,
  };
}

export function evidence(
  certificate: ParsedCertificate,
  facts: Partial<CandidateCertificateFacts> = {},
): CandidateCertificateEvidence {
  return { certificate, facts: { ...HEALTHY_FACTS, ...facts } };
}

export const LOADED: ConnectorEvent = { id: 20053, time: "2026-06-01T08:00:00Z", message: "loaded" };

/**
 * A report for HOST with `bound` imported exactly as MOMCertImport does (mirrored serial and thumbprint),
 * a 20053 event, no trust anchors (so the host's chain status decides) and both CAs known. Override anything.
 */
export function hostInput(
  fixture: Fixture,
  bound: CandidateCertificateEvidence,
  overrides: Partial<HostEvaluationInput> = {},
): HostEvaluationInput {
  return {
    host: HOST,
    registry: {
      channelCertificateSerialNumber: certificateSerialToRegistryHex(bound.certificate.serialNumber),
      channelCertificateHash: bound.certificate.thumbprint,
    },
    certificates: [bound],
    events: [LOADED],
    collectedAt: NOW,
    settings: { expiryWarningDays: 30, trustAnchors: [] },
    otherHostsBoundToSameCertificate: [],
    issuerCandidates: [fixture.rootParsed, fixture.issuingParsed],
    certificateDer: fixture.der,
    ...overrides,
  };
}

export function findingsOf(evaluation: HostEvaluation, ruleId: RuleId): Finding[] {
  return evaluation.findings.filter((f) => f.ruleId === ruleId);
}
