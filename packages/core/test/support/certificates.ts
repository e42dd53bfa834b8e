/**
 * Builds real certificates in code (@peculiar/x509 over Node's WebCrypto) so every rule is tested against
 * DER a CA could have issued, not hand-written fixtures. RSA key generation is slow: generate keys once per
 * test file (beforeAll) and pass them in.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

// @peculiar/x509 types its crypto against the DOM lib; Node's webcrypto is the same API.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type SigningAlgorithm = NonNullable<x509.X509CertificateCreateParamsBase["signingAlgorithm"]>;

export type KeyPair = webcrypto.CryptoKeyPair;
export type Hash = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

export const EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
export const EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
export const KU = x509.KeyUsageFlags;

const RSA = "RSASSA-PKCS1-v1_5";

export async function generateRsaKeys(modulusLength = 2048): Promise<KeyPair> {
  const algorithm = { name: RSA, hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength };
  return (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as KeyPair;
}

export async function generateEcKeys(namedCurve: "P-256" | "P-384" = "P-256"): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve }, true, [
    "sign",
    "verify",
  ])) as KeyPair;
}

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

/** Minimal DER encoders for the Microsoft template extensions (x509 has no classes for them). */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
function tlv(tag: number, content: number[]): number[] {
  return [tag, ...derLength(content.length), ...content];
}
function derOid(oid: string): number[] {
  const [a = 0, b = 0, ...rest] = oid.split(".").map(Number);
  const body = [40 * a + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    body.push(...chunk);
  }
  return tlv(0x06, body);
}
function derInteger(value: number): number[] {
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  if (bytes.length === 0 || (bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return tlv(0x02, bytes);
}

/** 1.3.6.1.4.1.311.21.7: SEQUENCE { templateID, major, minor }. */
export function templateV2Extension(oid: string, major: number, minor?: number): x509.Extension {
  const body = [...derOid(oid), ...derInteger(major), ...(minor === undefined ? [] : derInteger(minor))];
  return new x509.Extension("1.3.6.1.4.1.311.21.7", false, new Uint8Array(tlv(0x30, body)));
}

/** 1.3.6.1.4.1.311.20.2: the v1 template name as a BMPString. */
export function templateNameExtension(name: string): x509.Extension {
  const utf16 = [...name].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]);
  return new x509.Extension("1.3.6.1.4.1.311.20.2", false, new Uint8Array(tlv(0x1e, utf16)));
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
  const signers = new Map<Hash, webcrypto.CryptoKey>();
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
  return {
    certificate,
    der: new Uint8Array(certificate.rawData),
    subject: options.subject,
    keys: options.keys,
    signers,
  };
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
    publicKey: options.keys.publicKey,
    signingKey: await signerFor(issuer, hash),
    signingAlgorithm: { name: RSA, hash } as SigningAlgorithm,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serialNumber: options.serialHex,
    extensions,
  });
  return new Uint8Array(certificate.rawData);
}

/**
 * Rewrites every sha256WithRSAEncryption OID in a certificate to md5WithRSAEncryption (same length, so
 * the DER stays well formed). WebCrypto cannot sign with MD5; the parser only needs to name it.
 */
export function withMd5SignatureOid(der: Uint8Array): Uint8Array {
  const sha256Rsa = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
  const out = new Uint8Array(der);
  for (let i = 0; i + sha256Rsa.length <= out.length; i++) {
    if (sha256Rsa.every((b, k) => out[i + k] === b)) out[i + sha256Rsa.length - 1] = 0x04;
  }
  return out;
}
