import { childrenOf, type DerNode, decodeOid, decodeSmallInteger, readNode, TAG } from "./der";

/**
 * Recognises private key material so the API can refuse it (ARCHITECTURE "Ground rules": PKCS#12 and PEM
 * PRIVATE KEY are refused and never stored or logged). Collectors must send the public certificate only;
 * the seed's export steps produce a .PFX with the private key, which is exactly what people paste by mistake.
 */
export type PrivateKeyMaterial = "pem-private-key" | "pkcs12" | "pkcs8";

/** RSA/EC/DSA/ENCRYPTED/OPENSSH "... PRIVATE KEY" and plain "PRIVATE KEY" PEM labels (RFC 7468). */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
/** base64 inside base64 is the most layering we unwrap (a base64 upload of a base64 .pem file). */
const MAX_DEPTH = 2;

function parseDer(bytes: Uint8Array): DerNode | null {
  try {
    const node = readNode(bytes, 0);
    return node.tag === TAG.SEQUENCE ? node : null;
  } catch {
    return null;
  }
}

function safeChildren(node: DerNode | undefined): DerNode[] {
  if (!node?.constructed) return [];
  try {
    return childrenOf(node);
  } catch {
    return [];
  }
}

function intValue(node: DerNode | undefined): number | null {
  return node?.tag === TAG.INTEGER ? decodeSmallInteger(node.content) : null;
}

function firstOid(node: DerNode | undefined): string | null {
  const [oid] = safeChildren(node);
  if (oid?.tag !== TAG.OID) return null;
  try {
    return decodeOid(oid.content);
  } catch {
    return null;
  }
}

/**
 * PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL } (RFC 7292). Read from the
 * header bytes only: PKCS#12 files are often BER with indefinite lengths, which a DER walk would reject.
 */
function isPkcs12(bytes: Uint8Array): boolean {
  if (bytes[0] !== TAG.SEQUENCE) return false;
  const lengthOctet = bytes[1] ?? 0;
  let i = 2 + (lengthOctet > 0x80 ? lengthOctet & 0x7f : 0);
  if (bytes[i] !== TAG.INTEGER || bytes[i + 1] !== 0x01 || bytes[i + 2] !== 0x03) return false;
  i += 3;
  if (bytes[i] !== TAG.SEQUENCE) return false;
  const seqLength = bytes[i + 1] ?? 0;
  i += 2 + (seqLength > 0x80 ? seqLength & 0x7f : 0);
  const data = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07]; // OID 1.2.840.113549.1.7.
  if (!data.every((b, k) => bytes[i + k] === b)) return false;
  const kind = bytes[i + data.length];
  return kind === 0x01 || kind === 0x02; // pkcs7-data (.1) or pkcs7-signedData (.2)
}

/**
 * PKCS#8 PrivateKeyInfo / OneAsymmetricKey, EncryptedPrivateKeyInfo, and the bare PKCS#1 RSAPrivateKey,
 * SEC1 ECPrivateKey and OpenSSL DSA key shapes. A Certificate (SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING })
 * matches none of them.
 */
function isPrivateKeyDer(bytes: Uint8Array): boolean {
  const fields = safeChildren(parseDer(bytes) ?? undefined);
  const [first, second, third] = fields;
  const version = intValue(first);
  // PrivateKeyInfo: { INTEGER 0|1, AlgorithmIdentifier, OCTET STRING privateKey, ... }
  if ((version === 0 || version === 1) && second?.tag === TAG.SEQUENCE && third?.tag === TAG.OCTET_STRING) {
    return firstOid(second) !== null;
  }
  // EncryptedPrivateKeyInfo: { AlgorithmIdentifier (PBES2, PKCS#12 PBE...), OCTET STRING encryptedData }
  if (fields.length === 2 && first?.tag === TAG.SEQUENCE && second?.tag === TAG.OCTET_STRING) {
    return firstOid(first) !== null;
  }
  // RSAPrivateKey (9+ INTEGERs) and OpenSSL's DSA key (6 INTEGERs), both starting with version 0 or 1.
  if ((version === 0 || version === 1) && fields.length >= 6 && fields.every((f) => f.tag === TAG.INTEGER)) {
    return true;
  }
  // ECPrivateKey: { INTEGER 1, OCTET STRING privateKey, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }
  return version === 1 && second?.tag === TAG.OCTET_STRING && fields.length <= 4;
}

function isText(bytes: Uint8Array): boolean {
  return (
    bytes.length > 0 && bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f))
  );
}

/**
 * Base64 as files and JSON carry it: one run, or lines wrapped with line breaks. Spaces inside a line mean
 * prose, not base64 (the API checks every string of a report, event messages included).
 */
function decodeBase64(text: string): Uint8Array | null {
  const compact = text
    .trim()
    .replace(/[ \t]*\r?\n[ \t]*/g, "")
    .replace(/-/g, "+")
    .replace(/_/g, "/");
  if (compact.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  try {
    const binary = atob(compact.padEnd(Math.ceil(compact.length / 4) * 4, "="));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function detectInText(text: string, depth: number): PrivateKeyMaterial | null {
  if (PEM_PRIVATE_KEY.test(text)) return "pem-private-key";
  if (depth >= MAX_DEPTH) return null;
  const decoded = decodeBase64(text);
  return decoded ? detectInBytes(decoded, depth + 1) : null;
}

function detectInBytes(bytes: Uint8Array, depth: number): PrivateKeyMaterial | null {
  if (isPkcs12(bytes)) return "pkcs12";
  if (isPrivateKeyDer(bytes)) return "pkcs8";
  if (!isText(bytes)) return null;
  return detectInText(new TextDecoder("latin1").decode(bytes), depth);
}

/**
 * "pem-private-key" for PEM private-key text (also when base64-wrapped), "pkcs12" for a PFX, "pkcs8" for
 * DER private keys (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC); null for anything else, certificates
 * included. Strings are checked as text first, then as base64.
 */
export function detectPrivateKeyMaterial(input: Uint8Array | string): PrivateKeyMaterial | null {
  return typeof input === "string" ? detectInText(input, 0) : detectInBytes(input, 0);
}
