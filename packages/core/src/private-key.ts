import { decodeWrappedBase64 } from "./base64";
import { childrenOf, type DerNode, decodeOid, decodeSmallInteger, readNode, TAG } from "./der";

/**
 * Recognises private key material so the API can refuse it (ARCHITECTURE "Ground rules": PKCS#12 and PEM
 * PRIVATE KEY are refused and never stored or logged). Collectors must send the public certificate only;
 * the seed's export steps produce a .PFX with the private key, which is exactly what people paste by mistake.
 */
export type PrivateKeyMaterial = "pem-private-key" | "pkcs12" | "pkcs8";

/** The end of every private-key PEM label (RFC 7468): "-----BEGIN [RSA |EC |ENCRYPTED |...]PRIVATE KEY-----". */
const PEM_LABEL_END = "PRIVATE KEY-----";
const PEM_BEGIN = "-----BEGIN ";
/** Longest "RSA ", "ENCRYPTED ", "OPENSSH " ... prefix looked at before "PRIVATE KEY": labels are short. */
const MAX_LABEL_PREFIX = 64;
/** base64 inside base64 is the most layering we unwrap (a base64 upload of a base64 .pem file). */
const MAX_DEPTH = 2;
/**
 * Strings longer than this are only searched for a PEM private-key label, not decoded as base64. It is the
 * longest string the report contract allows (`certificates[].der`, 64 KiB of base64): anything longer is
 * refused by the schema anyway, and a base64 private key cannot hide in fewer characters than it has.
 */
export const MAX_DECODED_TEXT_LENGTH = 65_536;

function parseDer(bytes: Uint8Array): DerNode | null {
  // Every shape looked for is a SEQUENCE. Checked first because most decoded strings are not DER at all
  // (a registry serial in hex is valid base64) and a thrown DerError costs ~15 µs of stack capture.
  if (bytes[0] !== TAG.SEQUENCE) return null;
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
 * RSA/EC/DSA/ENCRYPTED/OPENSSH "... PRIVATE KEY" and plain "PRIVATE KEY" PEM labels. Found with indexOf
 * and a bounded look back from each "PRIVATE KEY-----", so the cost is linear in the text.
 */
export function hasPemPrivateKeyLabel(text: string): boolean {
  for (let at = text.indexOf(PEM_LABEL_END); at >= 0; at = text.indexOf(PEM_LABEL_END, at + 1)) {
    let wordsStart = at;
    // Back over "WORD WORD " (upper-case letters, digits and single spaces) to the "-----BEGIN ".
    while (
      wordsStart > 0 &&
      at - wordsStart < MAX_LABEL_PREFIX &&
      isLabelChar(text.charCodeAt(wordsStart - 1))
    )
      wordsStart--;
    for (let begin = wordsStart; begin <= at; begin++) {
      // The label words start right after "-----BEGIN " (whose space is itself a label character).
      if (begin >= PEM_BEGIN.length && text.startsWith(PEM_BEGIN, begin - PEM_BEGIN.length)) {
        const words = text.slice(begin, at);
        if (words === "" || /^(?:[A-Z0-9]+ )+$/.test(words)) return true;
      }
    }
  }
  return false;
}

function isLabelChar(code: number): boolean {
  return code === 0x20 || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
}

function detectInText(text: string, depth: number): PrivateKeyMaterial | null {
  if (hasPemPrivateKeyLabel(text)) return "pem-private-key";
  // Longer strings break every field's maxLength; the schema refuses them, so decoding them buys nothing.
  if (depth >= MAX_DEPTH || text.length > MAX_DECODED_TEXT_LENGTH) return null;
  const decoded = decodeWrappedBase64(text);
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
