/**
 * Turns certificate specs into DER from the demo CA. RSA key generation is the slow part, so a handful of
 * leaf key pairs serve every certificate (each certificate is still distinct: serial, names, dates).
 */
import { createHash } from "node:crypto";
import {
  createCa,
  createLeaf,
  generateEcKeys,
  generateRsaKeys,
  type Issuer,
  type KeyPair,
  KU,
} from "@certfleet/pki";
import type { CertificateSpec, KeyKind } from "./plan-types";

/** A V2 template OID as an Enterprise CA writes it (forest-specific arcs, then the template's). */
export const DEMO_TEMPLATE = {
  oid: "1.3.6.1.4.1.311.21.8.5734392.6195358.14893705.12992936.3444946.62.12104826.11285917",
  major: 100,
  minor: 5,
};
/**
 * What the demo's Settings call DEMO_TEMPLATE (the seed's template name), so a demo .inf shows a v2
 * template OID resolved to a name; ms07's certificate has no template and shows the unset case.
 */
export const DEMO_TEMPLATE_NAME = "OperationsManager";

export interface LeafKeys {
  rsa2048: KeyPair[];
  rsa1024: KeyPair;
  ec: KeyPair;
}

export async function generateLeafKeys(): Promise<LeafKeys> {
  const [a, b, c, rsa1024, ec] = await Promise.all([
    generateRsaKeys(2048),
    generateRsaKeys(2048),
    generateRsaKeys(2048),
    generateRsaKeys(1024),
    generateEcKeys("P-256"),
  ]);
  return { rsa2048: [a, b, c], rsa1024, ec };
}

/** A lab CA nobody trusts, for hosts whose chain fails with UntrustedRoot. */
export async function createForeignCa(keys: KeyPair, now: Date): Promise<Issuer> {
  const year = 365 * 24 * 60 * 60 * 1000;
  return createCa({
    subject: "CN=Fabrikam Lab Root CA, O=Fabrikam",
    keys,
    notBefore: new Date(now.getTime() - 4 * year),
    notAfter: new Date(now.getTime() + 6 * year),
  });
}

export interface IssuedCertificate {
  der: Uint8Array;
  base64: string;
  /** SHA-1 of the DER, upper-case hex: what Windows calls the thumbprint. */
  thumbprint: string;
}

export interface Issuers {
  demo: Issuer;
  foreign: Issuer;
  keys: LeafKeys;
}

function keysFor(kind: KeyKind, id: number, keys: LeafKeys): KeyPair {
  if (kind === "rsa1024") return keys.rsa1024;
  if (kind === "ec") return keys.ec;
  return keys.rsa2048[id % keys.rsa2048.length] as KeyPair;
}

export async function issueCertificate(spec: CertificateSpec, issuers: Issuers): Promise<IssuedCertificate> {
  const der = await createLeaf(spec.issuer === "demo" ? issuers.demo : issuers.foreign, {
    keys: keysFor(spec.key, spec.id, issuers.keys),
    subject: spec.subject,
    dnsNames: spec.dnsNames,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    serialHex: spec.serialHex,
    signatureHash: spec.signatureHash,
    ekus: spec.ekus,
    keyUsage: spec.keyUsage ?? KU.digitalSignature | KU.keyEncipherment,
    templateV2: spec.template ? DEMO_TEMPLATE : null,
  });
  return describe(der);
}

export function describe(der: Uint8Array): IssuedCertificate {
  return {
    der,
    base64: Buffer.from(der).toString("base64"),
    thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
  };
}

/**
 * Issues specs with a few signatures in flight: WebCrypto signs on libuv's thread pool, so this overlaps
 * the RSA work with building the next certificates.
 */
export async function issueAll(
  specs: CertificateSpec[],
  issuers: Issuers,
  onProgress?: (done: number) => void,
  inFlight = 8,
): Promise<Map<number, IssuedCertificate>> {
  const issued = new Map<number, IssuedCertificate>();
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++] as CertificateSpec;
      issued.set(spec.id, await issueCertificate(spec, issuers));
      onProgress?.(issued.size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, specs.length) }, worker));
  return issued;
}
