/**
 * A deliberately tiny DER reader: enough to walk a certificate's outer structure, the Microsoft template
 * extensions and private-key containers. It never allocates copies (nodes are views into the input) and
 * rejects what DER forbids (indefinite lengths), so malformed input fails loudly instead of being guessed at.
 */

export class DerError extends Error {
  override readonly name = "DerError";
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/**
 * Bounds on what this reader decodes, so a hostile DER (the API reads collector input) costs little:
 * arcs are BigInts, and shifting a BigInt that grows with every octet is quadratic in the arc's length.
 * Real OIDs are under 40 octets (Microsoft template OIDs included); UUID OIDs (2.25.<128 bits>) have
 * one arc of 19 octets.
 */
export const MAX_OID_LENGTH = 128;
export const MAX_OID_ARC_LENGTH = 20;
/** Template names and the like are a few dozen characters; longer strings are not decoded. */
export const MAX_DECODED_STRING_LENGTH = 4096;
/** decodeUnsigned reads versions, counters and serials (RFC 5280: at most 20 octets, 21 with a sign byte). */
export const MAX_UNSIGNED_LENGTH = 32;
/** Constructed nodes nest a few levels in what we read; childrenOf refuses more children than this. */
export const MAX_CHILDREN = 10_000;

export interface DerNode {
  /** The whole identifier octet, e.g. 0x30 for SEQUENCE, 0xa0 for [0] constructed. */
  tag: number;
  constructed: boolean;
  /** Offset of the identifier octet in the input. */
  start: number;
  /** Offset just past the last content octet. */
  end: number;
  content: Uint8Array;
}

function readLength(bytes: Uint8Array, offset: number): { length: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new DerError("truncated: length octet missing");
  if (first < 0x80) return { length: first, next: offset + 1 };
  const count = first & 0x7f;
  // 0x80 is BER's indefinite form, which DER forbids; more than 4 length octets cannot describe anything we read.
  if (count === 0 || count > 4) throw new DerError(`unsupported length form 0x${first.toString(16)}`);
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const b = bytes[offset + i];
    if (b === undefined) throw new DerError("truncated: long-form length");
    length = length * 256 + b;
  }
  return { length, next: offset + 1 + count };
}

/** Reads the TLV starting at `offset`. Only low tag numbers (< 31) exist in what we parse. */
export function readNode(bytes: Uint8Array, offset = 0): DerNode {
  const tag = bytes[offset];
  if (tag === undefined) throw new DerError("truncated: tag missing");
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag numbers are not supported");
  const { length, next } = readLength(bytes, offset + 1);
  const end = next + length;
  if (end > bytes.length) throw new DerError(`truncated: needs ${end} bytes, has ${bytes.length}`);
  return { tag, constructed: (tag & 0x20) !== 0, start: offset, end, content: bytes.subarray(next, end) };
}

/** Reads one TLV that must span the whole input (no trailing bytes). */
export function readWhole(bytes: Uint8Array): DerNode {
  const node = readNode(bytes, 0);
  if (node.end !== bytes.length)
    throw new DerError(`${bytes.length - node.end} trailing bytes after the DER value`);
  return node;
}

/** The TLVs inside a constructed node, in order. */
export function childrenOf(node: DerNode): DerNode[] {
  if (!node.constructed) throw new DerError(`tag 0x${node.tag.toString(16)} is not constructed`);
  const out: DerNode[] = [];
  let offset = 0;
  while (offset < node.content.length) {
    if (out.length >= MAX_CHILDREN) throw new DerError(`more than ${MAX_CHILDREN} elements in one structure`);
    const child = readNode(node.content, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node) throw new DerError(`${what}: missing`);
  if (node.tag !== tag)
    throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`);
  return node;
}

export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError("empty OBJECT IDENTIFIER");
  if (content.length > MAX_OID_LENGTH)
    throw new DerError(`OBJECT IDENTIFIER of ${content.length} octets (at most ${MAX_OID_LENGTH} are read)`);
  let text = "";
  let start = 0;
  for (let i = 0; i < content.length; i++) {
    if (i - start + 1 > MAX_OID_ARC_LENGTH)
      throw new DerError(`OBJECT IDENTIFIER arc longer than ${MAX_OID_ARC_LENGTH} octets`);
    if (((content[i] as number) & 0x80) === 0) {
      const arc = readArc(content, start, i + 1);
      // The first subidentifier packs the first two arcs (X.690 8.19.4).
      if (start > 0) text += `.${arc}`;
      else if (typeof arc === "bigint")
        text = arc < 40n ? `0.${arc}` : arc < 80n ? `1.${arc - 40n}` : `2.${arc - 80n}`;
      else text = arc < 40 ? `0.${arc}` : arc < 80 ? `1.${arc - 40}` : `2.${arc - 80}`;
      start = i + 1;
    }
  }
  if ((content[content.length - 1] ?? 0) & 0x80) throw new DerError("truncated OBJECT IDENTIFIER");
  return text;
}

/**
 * One arc of base-128 digits. Up to 7 octets (49 bits) it is an exact JavaScript number, which is what
 * every OID in a certificate needs and far cheaper than a BigInt per octet; longer arcs are BigInts.
 */
function readArc(content: Uint8Array, start: number, end: number): number | bigint {
  if (end - start <= 7) {
    let value = 0;
    for (let i = start; i < end; i++) value = value * 128 + ((content[i] as number) & 0x7f);
    return value;
  }
  let value = 0n;
  for (let i = start; i < end; i++) value = (value << 7n) | BigInt((content[i] as number) & 0x7f);
  return value;
}

/** INTEGER content as an unsigned magnitude (sign ignored: we only read versions and counters). */
export function decodeUnsigned(content: Uint8Array): bigint {
  if (content.length > MAX_UNSIGNED_LENGTH)
    throw new DerError(`INTEGER of ${content.length} octets (at most ${MAX_UNSIGNED_LENGTH} are read)`);
  let value = 0n;
  for (const b of content) value = (value << 8n) | BigInt(b);
  return value;
}

/** Small INTEGER (versions, template major/minor) as a number; null when it does not fit safely. */
export function decodeSmallInteger(content: Uint8Array): number | null {
  if (content.length === 0 || (content[0] ?? 0) & 0x80) return null; // empty or negative
  // Beyond 8 octets (plus a sign byte) nothing is a safe integer; do not build the BigInt at all.
  if (content.length > 9) return null;
  const value = decodeUnsigned(content);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
}

/** Bit length of an unsigned big-endian magnitude (leading zero octets, e.g. a sign byte, ignored). */
export function bitLength(content: Uint8Array): number {
  let i = 0;
  while (i < content.length && content[i] === 0) i++;
  const lead = content[i];
  if (lead === undefined) return 0;
  return (content.length - i - 1) * 8 + (32 - Math.clz32(lead));
}

/** One octet per character: PrintableString, IA5String and TeletexString as certificates hold them. */
export function decodeLatin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** Decodes the string types the Microsoft template-name extension is seen with. */
export function decodeString(node: DerNode): string | null {
  if (node.content.length > MAX_DECODED_STRING_LENGTH * 2) return null;
  switch (node.tag) {
    case TAG.BMP_STRING: {
      if (node.content.length % 2 !== 0) return null;
      let s = "";
      for (let i = 0; i + 1 < node.content.length; i += 2) {
        s += String.fromCharCode(((node.content[i] ?? 0) << 8) | (node.content[i + 1] ?? 0));
      }
      return s;
    }
    case TAG.UTF8_STRING:
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
      return new TextDecoder("utf-8", { fatal: false }).decode(node.content);
    default:
      return null;
  }
}

/** Certificates nest about ten levels, extension values included; far deeper is built to hurt. */
export const MAX_DER_DEPTH = 32;

/**
 * Walks every TLV of `bytes` (and DER encapsulated in OCTET STRINGs, where X.509 keeps extension values)
 * and throws DerError at the first that breaks a limit: nesting deeper than MAX_DER_DEPTH or an OBJECT
 * IDENTIFIER longer than MAX_OID_LENGTH. Iterative and linear in the input, so it is safe to run on
 * anything a client sends before a full ASN.1 library spends time (and memory for strings) on it.
 */
export function assertDerWithinLimits(bytes: Uint8Array): void {
  const pending: { node: DerNode; depth: number }[] = [{ node: readWhole(bytes), depth: 1 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { node, depth } = item;
    if (depth > MAX_DER_DEPTH) throw new DerError(`DER nested deeper than ${MAX_DER_DEPTH} levels`);
    if (node.tag === TAG.OID && node.content.length > MAX_OID_LENGTH)
      throw new DerError(`OBJECT IDENTIFIER of ${node.content.length} octets (at most ${MAX_OID_LENGTH})`);
    const inner = node.constructed ? childrenOf(node) : encapsulated(node);
    for (const child of inner) pending.push({ node: child, depth: depth + 1 });
  }
}

/** The DER inside an OCTET STRING when it holds exactly one SEQUENCE (as extension values do); else none. */
function encapsulated(node: DerNode): DerNode[] {
  if (node.tag !== TAG.OCTET_STRING || node.content[0] !== TAG.SEQUENCE) return [];
  try {
    return [readWhole(node.content)];
  } catch (error) {
    if (error instanceof DerError) return [];
    throw error;
  }
}
