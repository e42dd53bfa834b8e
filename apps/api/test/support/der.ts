/** Hand-built DER for hostile-input tests: encodings a certificate library would never write. */

export function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}

export function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const body = content instanceof Uint8Array ? content : Uint8Array.from(content);
  return Uint8Array.from([tag, ...encodeLength(body.length), ...body]);
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, concat(items));

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The TLVs directly inside the constructed value at the start of `der`. */
export function children(der: Uint8Array): Uint8Array[] {
  const { contentStart, end } = header(der, 0);
  const out: Uint8Array[] = [];
  for (let offset = contentStart; offset < end; ) {
    const child = header(der, offset);
    out.push(der.subarray(offset, child.end));
    offset = child.end;
  }
  return out;
}

function header(der: Uint8Array, offset: number): { contentStart: number; end: number } {
  const first = der[offset + 1] ?? 0;
  if (first < 0x80) return { contentStart: offset + 2, end: offset + 2 + first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[offset + 2 + i] ?? 0);
  return { contentStart: offset + 2 + count, end: offset + 2 + count + length };
}

/** An OBJECT IDENTIFIER of `arcs` arcs, each the largest 4-octet value: `length` content octets in all. */
export function hugeOid(length: number): Uint8Array {
  const content = new Uint8Array(length);
  for (let i = 0; i < length; i++) content[i] = i % 4 === 3 || i === length - 1 ? 0x7f : 0xff;
  return tlv(0x06, content);
}

/** One OBJECT IDENTIFIER arc spread over `length` octets: a BigInt that grows with every octet. */
export function hugeOidArc(length: number): Uint8Array {
  const content = new Uint8Array(length).fill(0xff);
  content[0] = 0x2a; // 1.2 first, then one enormous arc
  content[length - 1] = 0x7f;
  return tlv(0x06, content);
}

/**
 * The same certificate with another serial: distinct certificates (and SHA-256s) without an RSA signature
 * each. The signature no longer verifies, which nothing here checks.
 */
export function withSerial(certificate: Uint8Array, serial: number): Uint8Array {
  const [tbs, algorithm, signature] = children(certificate);
  if (!tbs || !algorithm || !signature) throw new Error("a certificate has three parts");
  const fields = children(tbs);
  // [0] version first, then the serial INTEGER.
  fields[1] = tlv(0x02, Buffer.from((0x10000000 + serial).toString(16), "hex"));
  return sequence(sequence(...fields), algorithm, signature);
}
