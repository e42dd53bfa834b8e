import { DerError, type DerNode } from "./der";

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/**
 * RFC 5280 4.1.2.5: UTCTime "YYMMDDHHMMSSZ" (YY >= 50 is 19YY) and GeneralizedTime "YYYYMMDDHHMMSSZ",
 * always in UTC with seconds and without fractions. Anything else is refused rather than guessed at.
 * Read digit by digit (no string, regular expression or arrays): every fresh certificate has two.
 */
const LENGTH = { [UTC_TIME]: 13, [GENERALIZED_TIME]: 15 } as const;
const DIGIT_0 = 0x30;
const LETTER_Z = 0x5a;

/** Reads a certificate Time as an ISO 8601 string (what ParsedCertificate holds). Throws DerError. */
export function readX509Time(node: DerNode | undefined, what: string): string {
  if (!node || (node.tag !== UTC_TIME && node.tag !== GENERALIZED_TIME))
    throw new DerError(`${what}: expected UTCTime or GeneralizedTime`);
  const bytes = node.content;
  // Both forms are 13 or 15 ASCII characters; a longer value is refused before any decoding.
  if (bytes.length > 15) throw new DerError(`${what}: ${bytes.length} octets is not a time`);
  const notRfc5280 = () => new DerError(`${what}: "${printable(bytes)}" is not an RFC 5280 time`);
  if (bytes.length !== LENGTH[node.tag] || bytes[bytes.length - 1] !== LETTER_Z) throw notRfc5280();
  let position = 0;
  const digits = (count: number): number => {
    let value = 0;
    for (const end = position + count; position < end; position++) {
      const digit = (bytes[position] as number) - DIGIT_0;
      if (digit < 0 || digit > 9) throw notRfc5280();
      value = value * 10 + digit;
    }
    return value;
  };
  const year = digits(node.tag === UTC_TIME ? 2 : 4);
  const [month, day, hour, minute, second] = [digits(2), digits(2), digits(2), digits(2), digits(2)];
  const fullYear = node.tag === UTC_TIME ? (year >= 50 ? 1900 + year : 2000 + year) : year;
  const date = new Date(0);
  date.setUTCFullYear(fullYear, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const valid =
    date.getUTCFullYear() === fullYear &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  if (!valid) throw new DerError(`${what}: "${printable(bytes)}" is not a calendar time`);
  return date.toISOString();
}

/** The time's octets as text for an error message (at most 15, checked above). */
const printable = (bytes: Uint8Array) => String.fromCharCode(...bytes);
