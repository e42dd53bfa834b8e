import { normalizeHex, tryNormalizeHex } from "./hex";

/**
 * Serial mirroring (ARCHITECTURE "Details that matter"; seed "Import the certificate into Operations
 * Manager", step 11): MOMCertImport writes the certificate's serial into the REG_BINARY value
 * ChannelCertificateSerialNumber with its bytes reversed ("mirrored"). Only the byte order changes;
 * nibbles inside a byte stay put (AF 3C 56 is stored as 56 3C AF).
 *
 * Full-length serials are kept whole: RFC 5280 allows 20 octets (21 with a DER sign byte) and a
 * well-known checker script compares only 19 bytes, which misses or mismatches longer serials.
 */

export type SerialComparison = "exact" | "numeric-only" | "mismatch";

function reverseBytes(hex: string): string {
  // A loop, not match(/../g).reverse().join(""): every report compares its registry value with each
  // certificate's serial, and the array of pairs was ~4 µs of it.
  let out = "";
  for (let i = hex.length - 2; i >= 0; i -= 2) out += hex.slice(i, i + 2);
  return out;
}

/** Registry value (mirrored, as stored) -> the certificate's serial in certificate byte order. */
export function mirroredSerialToHex(registryHex: string): string {
  return reverseBytes(normalizeHex(registryHex));
}

/**
 * Certificate serial (DER INTEGER content, as ParsedCertificate.serialNumber) -> the REG_BINARY bytes
 * MOMCertImport writes. Windows keeps the DER sign byte, so a leading 00 becomes a trailing 00.
 */
export function certificateSerialToRegistryHex(certificateSerialHex: string): string {
  return reverseBytes(normalizeHex(certificateSerialHex));
}

/** The serial as an unsigned number; null for empty input. */
function serialValue(hex: string): bigint | null {
  return hex.length === 0 ? null : BigInt(`0x${hex}`);
}

/**
 * Compares a registry value with a certificate serial as NUMBERS, not strings:
 * - "exact": the un-mirrored registry bytes equal the certificate's serial bytes;
 * - "numeric-only": same integer, but the bytes differ in leading zeros (typically the registry lacks the
 *   00 sign byte Windows keeps when the serial's top bit is set); SCOM may not find the certificate;
 * - "mismatch": a different number, or either side empty or not hexadecimal.
 */
export function compareRegistrySerial(registryHex: string, certificateSerialHex: string): SerialComparison {
  const registry = tryNormalizeHex(registryHex);
  const certificate = tryNormalizeHex(certificateSerialHex);
  if (registry === null || certificate === null) return "mismatch";
  const unmirrored = reverseBytes(registry);
  const registryValue = serialValue(unmirrored);
  if (registryValue === null || registryValue !== serialValue(certificate)) return "mismatch";
  return unmirrored === certificate ? "exact" : "numeric-only";
}
