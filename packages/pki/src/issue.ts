/**
 * Issues real certificates in code (@peculiar/x509 over Node's WebCrypto), so rules are tested — and the
 * demo estate is built — from DER a CA could have issued, not hand-written fixtures.
 */
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { type Hash, type KeyPair, RSA, type SigningAlgorithm } from "./crypto";
import { templateNameExtension, templateV2Extension } from "./template-extensions";

export const EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
export const EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
export const KU = x509.KeyUsageFlags;

/** A CA that can sign: its certificate plus keys, with a signing key per hash (WebCrypto binds RSA keys to one hash). */
export interface Issuer {
  certificate: x509.X509Certificate;
  der: Uint8Array;
  subject: string;
  keys: KeyPair;
  signers: Map<Hash, webcrypto.CryptoKey>;
}

async function signerFor(issuer: Pick<Issuer, "keys" | "signers">, hash: Hash): Promise<webcrypto.CryptoKey> {
  const cached = issuer.signers.get(hash);
  if (cached) return cached;
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", issuer.keys.privateKey);
  const key = await webcrypto.subtle.importKey("pkcs8", pkcs8, { name: RSA, hash }, false, ["sign"]);
  issuer.signers.set(hash, key);
  return key;
}

export interface CaOptions {
  subject: string;
  keys: KeyPair;
  notBefore: Date;
  notAfter: Date;
  /** Self-signed root when absent. */
  issuer?: Issuer;
  serialHex?: string;
}

export async function createCa(options: CaOptions): Promise<Issuer> {
  const extensions = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, true),
  ];
  const certificate = options.issuer
    ? await x509.X509CertificateGenerator.create({
        subject: options.subject,
        issuer: options.issuer.subject,
        publicKey: options.keys.publicKey,
        signingKey: await signerFor(options.issuer, "SHA-256"),
        signingAlgorithm: { name: RSA, hash: "SHA-256" } as SigningAlgorithm,
        notBefore: options.notBefore,
        notAfter: options.notAfter,
        serialNumber: options.serialHex ?? "01",
        extensions,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        name: options.subject,
        keys: options.keys,
        signingAlgorithm: { name: RSA, hash: "SHA-256" } as SigningAlgorithm,
        notBefore: options.notBefore,
        notAfter: options.notAfter,
        serialNumber: options.serialHex ?? "01",
        extensions,
      });
  return issuerFrom(certificate, options.keys, options.subject);
}

/** An Issuer around an existing CA certificate and its key pair (e.g. one loaded from disk). */
export function issuerFrom(certificate: x509.X509Certificate, keys: KeyPair, subject?: string): Issuer {
  return {
    certificate,
    der: new Uint8Array(certificate.rawData),
    // Leaves name their issuer with this string; keep the caller's spelling when it gave one.
    subject: subject ?? certificate.subject,
    keys,
    signers: new Map(),
  };
}

/**
 * The SubjectPublicKeyInfo of each leaf key, exported once: @peculiar/x509 would export it again for
 * every certificate, and the demo estate signs thousands with a handful of keys.
 */
const publicKeys = new WeakMap<webcrypto.CryptoKey, x509.PublicKey>();

async function publicKeyOf(key: webcrypto.CryptoKey): Promise<x509.PublicKey> {
  const cached = publicKeys.get(key);
  if (cached) return cached;
  const publicKey = await x509.PublicKey.create(key);
  publicKeys.set(key, publicKey);
  return publicKey;
}

export interface LeafOptions {
  /** The leaf's own key pair (RSA 2048, RSA 1024 or EC). */
  keys: KeyPair;
  notBefore: Date;
  notAfter: Date;
  subject?: string;
  /** DNS SubjectAltNames in order; none (no SAN extension) when empty. */
  dnsNames?: string[];
  /** EKU OIDs; null for no EKU extension. Default: Server + Client Authentication. */
  ekus?: string[] | null;
  /** @peculiar/x509 KeyUsageFlags; null for no extension. Default: digitalSignature | keyEncipherment. */
  keyUsage?: number | null;
  signatureHash?: Hash;
  /** Hex serial. @peculiar/x509 drops leading zero bytes and adds a 00 sign byte when the top bit is set. */
  serialHex?: string;
  templateV2?: { oid: string; major: number; minor?: number } | null;
  templateName?: string | null;
  isCa?: boolean;
}

export async function createLeaf(issuer: Issuer, options: LeafOptions): Promise<Uint8Array> {
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(options.isCa ?? false)];
  const keyUsage =
    options.keyUsage === undefined ? KU.digitalSignature | KU.keyEncipherment : options.keyUsage;
  if (keyUsage !== null) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  const ekus = options.ekus === undefined ? [EKU_SERVER_AUTH, EKU_CLIENT_AUTH] : options.ekus;
  if (ekus !== null) extensions.push(new x509.ExtendedKeyUsageExtension(ekus));
  const dnsNames = options.dnsNames ?? [];
  if (dnsNames.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: "dns", value }))),
    );
  }
  if (options.templateV2) {
    const { oid, major, minor } = options.templateV2;
    extensions.push(templateV2Extension(oid, major, minor));
  }
  if (options.templateName) extensions.push(templateNameExtension(options.templateName));
  const hash = options.signatureHash ?? "SHA-256";
  const certificate = await x509.X509CertificateGenerator.create({
    subject: options.subject ?? "",
    issuer: issuer.subject,
    publicKey: await publicKeyOf(options.keys.publicKey),
    signingKey: await signerFor(issuer, hash),
    signingAlgorithm: { name: RSA, hash } as SigningAlgorithm,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serialNumber: options.serialHex,
    extensions,
  });
  return new Uint8Array(certificate.rawData);
}
