import { childrenOf, DerError, type DerNode, decodeLatin1, decodeOid, expectTag, TAG } from "./der";
import { bytesToHex } from "./hex";

/**
 * Distinguished names as certfleet prints them. The format is @peculiar/x509's `Name.toString()`, which
 * certfleet stored before it read names itself, so that a subject or issuer already in the database, a
 * CA subject printed by @peculiar/x509 (packages/pki, chain checks) and a name read here compare equal:
 * "CN=ms01.contoso.com, O=Contoso", RDNs joined by ", ", multi-valued RDNs by "+", short names for the
 * twelve attribute types below and the dotted OID otherwise, values of other ASN.1 types as "#" + hex of
 * their whole DER. test/x509-name.test.ts checks this against @peculiar/x509 on random names.
 */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
  "2.5.4.42": "G",
  "2.5.4.43": "I",
  "2.5.4.4": "SN",
  "2.5.4.12": "T",
};

const COMMON_NAME = "2.5.4.3";

/** The string types a name attribute is decoded from; anything else is printed as hex. */
const STRING_TAG = {
  TELETEX: 0x14,
  PRINTABLE: TAG.PRINTABLE_STRING,
  UNIVERSAL: 0x1c,
  UTF8: TAG.UTF8_STRING,
  BMP: TAG.BMP_STRING,
  IA5: TAG.IA5_STRING,
} as const;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** UTF-8 when it is valid UTF-8, else the octets as Latin-1 (never a replacement character). */
function utf8OrLatin1(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeLatin1(bytes);
  }
}

function utf16be(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new DerError("BMPString of an odd number of octets");
  let text = "";
  for (let i = 0; i < bytes.length; i += 2)
    text += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return text;
}

/** UniversalString is UCS-4; like @peculiar/x509, each character keeps its low 16 bits. */
function ucs4be(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new DerError("UniversalString of a number of octets not divisible by 4");
  let text = "";
  for (let i = 0; i < bytes.length; i += 4)
    text += String.fromCharCode(((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0));
  return text;
}

/** An attribute value: its text, or for a non-string type (or NULL) the hex of its DER. */
type AttributeValue = { text: string } | { hex: string };

function readAttributeValue(node: DerNode, whole: Uint8Array): AttributeValue {
  switch (node.tag) {
    case STRING_TAG.UTF8:
      return { text: utf8OrLatin1(node.content) };
    case STRING_TAG.BMP:
      return { text: utf16be(node.content) };
    case STRING_TAG.UNIVERSAL:
      return { text: ucs4be(node.content) };
    case STRING_TAG.PRINTABLE:
    case STRING_TAG.IA5:
    case STRING_TAG.TELETEX:
      return { text: decodeLatin1(node.content) };
    case TAG.NULL:
      return { text: "" };
    default:
      return { hex: bytesToHex(whole.subarray(node.start, node.end)).toLowerCase() };
  }
}

/** Backslash-escapes as @peculiar/x509 does, quirks included (only the first CR, LF or TAB is escaped). */
function escapeValue(value: string): string {
  return value
    .replace(/([,+"\\<>;])/g, "\\$1")
    .replace(/^([ #])/, "\\$1")
    .replace(/([ ]$)/, "\\$1")
    .replace(/([\r\n\t])/, (character: string) => `\\${bytesToHex(new TextEncoder().encode(character))}`);
}

export interface DistinguishedName {
  /** e.g. "CN=ms01.contoso.com, O=Contoso". */
  text: string;
  /** The first CN's value, unescaped; null when the name has none. */
  commonName: string | null;
  /** Every CN's value, unescaped, in the order of the name (issue 13: a subject can carry several). */
  commonNames: string[];
}

/** Reads a Name (RDNSequence) node of a certificate. Throws DerError when it is not one. */
export function readDistinguishedName(name: DerNode | undefined, what: string): DistinguishedName {
  const rdns: string[] = [];
  const commonNames: string[] = [];
  for (const rdn of childrenOf(expectTag(name, TAG.SEQUENCE, what))) {
    const attributes: string[] = [];
    for (const attribute of childrenOf(expectTag(rdn, TAG.SET, `${what} RDN`))) {
      const [typeNode, valueNode, ...extra] = childrenOf(
        expectTag(attribute, TAG.SEQUENCE, `${what} attribute`),
      );
      if (!valueNode || extra.length > 0)
        throw new DerError(`${what} attribute must hold a type and one value`);
      const type = decodeOid(expectTag(typeNode, TAG.OID, `${what} attribute type`).content);
      const value = readAttributeValue(valueNode, attribute.content);
      if (type === COMMON_NAME) commonNames.push("text" in value ? value.text : value.hex);
      const printed = "text" in value ? escapeValue(value.text) : `#${value.hex}`;
      attributes.push(`${SHORT_NAMES[type] ?? type}=${printed}`);
    }
    rdns.push(attributes.join("+"));
  }
  return { text: rdns.join(", "), commonName: commonNames[0] ?? null, commonNames };
}
