/**
 * AD CS-style 19-octet serials: a leading byte, three zero bytes, nine random bytes, then the CA's request
 * id. A leading byte with its top bit set makes DER add a 00 sign byte, which Windows keeps in the
 * registry; the demo has a few of those on purpose.
 */
import type { Random } from "./random";

export interface Serial {
  /** The 19 octets, as handed to the issuer. */
  serialHex: string;
  /** As DER encodes it (and the parser reports it): with a 00 sign byte when the top bit is set. */
  derSerial: string;
}

export interface SerialSource {
  next(options?: { signByte?: boolean }): Serial;
}

/** Share of ordinary serials whose top bit is set anyway (so the estate has some 20-octet DER serials). */
const SIGN_BYTE_SHARE = 0.03;

export function createSerialSource(random: Random): SerialSource {
  let requestId = 0x1000;
  return {
    next(options = {}) {
      requestId++;
      const signByte = options.signByte ?? random.chance(SIGN_BYTE_SHARE);
      // Never 00: @peculiar/x509 drops leading zero bytes, which would shorten the serial.
      const lead = signByte ? random.int(0x80, 0xff) : random.int(0x10, 0x7f);
      const serialHex = [
        lead.toString(16).padStart(2, "0"),
        "000000",
        random.hex(9),
        "000000",
        requestId.toString(16).padStart(6, "0"),
      ]
        .join("")
        .toUpperCase();
      return { serialHex, derSerial: signByte ? `00${serialHex}` : serialHex };
    },
  };
}
