import { bitLength, childrenOf, DerError, type DerNode, decodeOid, expectTag, readWhole, TAG } from "./der";
import { bytesToHex } from "./hex";
import { EC_CURVE_BITS, HASH_ALGORITHMS, OID, PUBLIC_KEY_ALGORITHMS, SIGNATURE_ALGORITHMS } from "./oids";
import { readExtensionValues } from "./x509-extensions";
import { type DistinguishedName, readDistinguishedName } from "./x509-name";
import { readX509Time } from "./x509-time";

/**
 * A certificate read straight from its DER by core's own reader, in one pass and without an ASN.1
 * library: ingest parses every fresh certificate a collector sends, and @peculiar/x509 took ~0.8 ms for
 * one. Reading it ourselves also keeps what libraries normalise away: the serial's DER sign byte (Windows
 * keeps it, and the registry mirrors it), the exact RSA modulus size, and the names of signature
 * algorithms nobody can verify any more (MD5), which the rules must name.
 */
export interface CertificateStructure {
  /** DER INTEGER content of the serial, exactly as encoded. */
  serialHex: string;
  signatureAlgorithm: string;
  signatureHash: string | null;
  publicKeyAlgorithm: string;
  publicKeySize: number | null;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBefore: string;
  notAfter: string;
  /** Extension values (the DER inside extnValue) by OID. */
  extensions: Map<string, Uint8Array>;
}

function algorithmOid(
  algorithmIdentifier: DerNode | undefined,
  what: string,
): { oid: string; params?: DerNode } {
  const seq = expectTag(algorithmIdentifier, TAG.SEQUENCE, what);
  const [oidNode, params] = childrenOf(seq);
  return { oid: decodeOid(expectTag(oidNode, TAG.OID, `${what} OID`).content), params };
}

/** RSASSA-PSS carries its hash in parameters: [0] EXPLICIT AlgorithmIdentifier, SHA-1 when absent (RFC 4055). */
function pssHash(params: DerNode | undefined): string | null {
  if (!params || params.tag !== TAG.SEQUENCE) return "SHA-1";
  const hashField = childrenOf(params).find((n) => n.tag === 0xa0);
  if (!hashField) return "SHA-1";
  const { oid } = algorithmOid(childrenOf(hashField)[0], "PSS hash");
  return HASH_ALGORITHMS[oid] ?? null;
}

function describeSignature(algorithmIdentifier: DerNode | undefined): { name: string; hash: string | null } {
  const { oid, params } = algorithmOid(algorithmIdentifier, "signatureAlgorithm");
  if (oid === OID.rsassaPss) return { name: "RSASSA-PSS", hash: pssHash(params) };
  return SIGNATURE_ALGORITHMS[oid] ?? { name: oid, hash: null };
}

function rsaModulusBits(subjectPublicKey: DerNode): number | null {
  // BIT STRING content starts with the unused-bits octet; the rest is RSAPublicKey ::= SEQUENCE { n, e }.
  const body = subjectPublicKey.content.subarray(1);
  const [modulus] = childrenOf(readWhole(body));
  return modulus?.tag === TAG.INTEGER ? bitLength(modulus.content) : null;
}

function describePublicKey(spki: DerNode): { algorithm: string; size: number | null } {
  const [algorithmIdentifier, subjectPublicKey] = childrenOf(
    expectTag(spki, TAG.SEQUENCE, "subjectPublicKeyInfo"),
  );
  const { oid, params } = algorithmOid(algorithmIdentifier, "subjectPublicKeyInfo algorithm");
  const algorithm = PUBLIC_KEY_ALGORITHMS[oid] ?? oid;
  const key = expectTag(subjectPublicKey, TAG.BIT_STRING, "subjectPublicKey");
  if (algorithm === "RSA" || algorithm === "RSA-PSS") return { algorithm, size: rsaModulusBits(key) };
  if (algorithm === "EC") {
    const curve = params?.tag === TAG.OID ? decodeOid(params.content) : null;
    return { algorithm, size: curve ? (EC_CURVE_BITS[curve] ?? null) : null };
  }
  if (algorithm === "Ed25519" || algorithm === "X25519") return { algorithm, size: 256 };
  if (algorithm === "Ed448" || algorithm === "X448") return { algorithm, size: 448 };
  return { algorithm, size: null };
}

/** tbsCertificate's [3] EXPLICIT Extensions (after the optional [1] and [2] unique IDs). */
const EXTENSIONS_TAG = 0xa3;
/** issuerUniqueID [1], subjectUniqueID [2] (primitive, or constructed in BER) and extensions [3]. */
const OPTIONAL_TBS_TAGS = new Set([0x81, 0xa1, 0x82, 0xa2, EXTENSIONS_TAG]);

/** Checks the outer Certificate shape and reads serial, signature and key facts. Throws DerError. */
export function readCertificateStructure(der: Uint8Array): CertificateStructure {
  const certificate = expectTag(readWhole(der), TAG.SEQUENCE, "Certificate");
  const [tbs, signatureAlgorithm, signatureValue, ...extra] = childrenOf(certificate);
  if (extra.length > 0) throw new DerError("Certificate has more than three elements");
  expectTag(signatureValue, TAG.BIT_STRING, "signatureValue");
  const fields = childrenOf(expectTag(tbs, TAG.SEQUENCE, "tbsCertificate"));
  // [0] EXPLICIT version is optional (absent means v1), so the serial is the first or second field.
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serialNode, , issuer, validity, subject, spki, ...optional] = fields.slice(offset);
  const serial = expectTag(serialNode, TAG.INTEGER, "serialNumber");
  if (!spki) throw new DerError("tbsCertificate is missing subjectPublicKeyInfo");
  const signature = describeSignature(signatureAlgorithm);
  const publicKey = describePublicKey(spki);
  const [notBefore, notAfter, ...extraTimes] = childrenOf(expectTag(validity, TAG.SEQUENCE, "validity"));
  if (extraTimes.length > 0) throw new DerError("validity has more than two times");
  if (optional.some((node) => !OPTIONAL_TBS_TAGS.has(node.tag)))
    throw new DerError("tbsCertificate has an unexpected field after subjectPublicKeyInfo");
  return {
    serialHex: bytesToHex(serial.content),
    signatureAlgorithm: signature.name,
    signatureHash: signature.hash,
    publicKeyAlgorithm: publicKey.algorithm,
    publicKeySize: publicKey.size,
    issuer: readDistinguishedName(issuer, "issuer"),
    subject: readDistinguishedName(subject, "subject"),
    notBefore: readX509Time(notBefore, "notBefore"),
    notAfter: readX509Time(notAfter, "notAfter"),
    extensions: readExtensionValues(optional.find((node) => node.tag === EXTENSIONS_TAG)),
  };
}
