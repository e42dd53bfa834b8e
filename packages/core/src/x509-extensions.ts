import {
  childrenOf,
  DerError,
  type DerNode,
  decodeLatin1,
  decodeOid,
  expectTag,
  readWhole,
  TAG,
} from "./der";

const BOOLEAN = 0x01;
/** GeneralName dNSName: [2] IMPLICIT IA5String. */
const DNS_NAME = 0x82;

/**
 * The extensions' values by OID (the DER inside each extnValue OCTET STRING). The first of two extensions
 * with one OID wins, as it does in @peculiar/x509 and Windows' certificate dialog.
 */
export function readExtensionValues(extensions: DerNode | undefined): Map<string, Uint8Array> {
  const values = new Map<string, Uint8Array>();
  if (!extensions) return values;
  const [sequence, ...extra] = childrenOf(extensions);
  if (extra.length > 0) throw new DerError("extensions: [3] must hold one SEQUENCE");
  for (const extension of childrenOf(expectTag(sequence, TAG.SEQUENCE, "extensions"))) {
    const fields = childrenOf(expectTag(extension, TAG.SEQUENCE, "extension"));
    const oid = decodeOid(expectTag(fields[0], TAG.OID, "extnID").content);
    const hasCritical = fields[1]?.tag === BOOLEAN;
    const value = expectTag(fields[hasCritical ? 2 : 1], TAG.OCTET_STRING, `extension ${oid} extnValue`);
    if (fields.length !== (hasCritical ? 3 : 2)) throw new DerError(`extension ${oid}: unexpected fields`);
    if (!values.has(oid)) values.set(oid, value.content);
  }
  return values;
}

/** SubjectAltName: the dNSName entries in order (other name forms are not what SCOM reads). */
export function readDnsNames(value: Uint8Array | undefined): string[] {
  if (!value) return [];
  const names = childrenOf(expectTag(readWhole(value), TAG.SEQUENCE, "subjectAltName"));
  return names.flatMap((name) => (name.tag === DNS_NAME ? [decodeLatin1(name.content)] : []));
}

/** ExtendedKeyUsage: the purpose OIDs in order; null when the extension is absent. */
export function readExtendedKeyUsages(value: Uint8Array | undefined): string[] | null {
  if (!value) return null;
  const purposes = childrenOf(expectTag(readWhole(value), TAG.SEQUENCE, "extKeyUsage"));
  return purposes.map((purpose) => decodeOid(expectTag(purpose, TAG.OID, "extKeyUsage purpose").content));
}

/**
 * KeyUsage as Windows shows it: the BIT STRING's octets as encoded (digitalSignature = 0x80,
 * keyEncipherment = 0x20), decipherOnly (bit 8) as 0x8000. Padding bits are never counted.
 */
export function readWindowsKeyUsage(value: Uint8Array | undefined): number | null {
  if (!value) return null;
  const bits = expectTag(readWhole(value), TAG.BIT_STRING, "keyUsage").content;
  const unused = bits[0];
  if (unused === undefined || unused > 7 || (bits.length === 1 && unused !== 0))
    throw new DerError("keyUsage: malformed BIT STRING");
  const usedBits = (bits.length - 1) * 8 - unused;
  const isSet = (bit: number) => bit < usedBits && ((bits[1 + (bit >> 3)] ?? 0) & (0x80 >> (bit & 7))) !== 0;
  let windows = 0;
  for (let bit = 0; bit < 8; bit++) if (isSet(bit)) windows |= 0x80 >> bit;
  if (isSet(8)) windows |= 0x8000;
  return windows;
}

/** BasicConstraints cA (DEFAULT FALSE); false when the extension is absent. */
export function readIsCa(value: Uint8Array | undefined): boolean {
  if (!value) return false;
  const [first] = childrenOf(expectTag(readWhole(value), TAG.SEQUENCE, "basicConstraints"));
  if (first?.tag !== BOOLEAN) return false;
  if (first.content.length !== 1) throw new DerError("basicConstraints: malformed cA BOOLEAN");
  return first.content[0] !== 0;
}
