/** Minimal DER encoders for the Microsoft template extensions (@peculiar/x509 has no classes for them). */
import * as x509 from "@peculiar/x509";

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
