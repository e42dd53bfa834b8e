/** Hex helpers shared by certificate parsing and serial mirroring. */

export class HexFormatError extends Error {
  override readonly name = "HexFormatError";
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out.toUpperCase();
}

/**
 * Normalises hex typed or exported by people and tools: optional 0x prefix, spaces, colons and dashes
 * between bytes (certutil, the MMC details tab and regedit exports all differ), any letter case.
 * Returns upper-case hex with an even number of digits.
 *
 * An odd number of digits is padded with ONE leading zero nibble. That is the only reading that keeps
 * the number's value: bytes 0A 1B 2C printed as a number lose their leading zero ("A1B2C"), and only
 * "0" + "A1B2C" gives them back; padding at the end would multiply the value by 16 and shift every byte.
 */
export function normalizeHex(input: string): string {
  let s = input.trim();
  if (/^0x/i.test(s)) s = s.slice(2);
  s = s.replace(/[\s:-]/g, "");
  if (!/^[0-9a-fA-F]*$/.test(s)) throw new HexFormatError(`"${input}" is not hexadecimal`);
  if (s.length % 2 === 1) s = `0${s}`;
  return s.toUpperCase();
}

/** normalizeHex that returns null instead of throwing. */
export function tryNormalizeHex(input: string): string | null {
  try {
    return normalizeHex(input);
  } catch {
    return null;
  }
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = normalizeHex(hex);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
