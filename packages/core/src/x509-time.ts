import { DerError, type DerNode } from "./der";

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/**
 * RFC 5280 4.1.2.5: UTCTime "YYMMDDHHMMSSZ" (YY >= 50 is 19YY) and GeneralizedTime "YYYYMMDDHHMMSSZ",
 * always in UTC with seconds and without fractions. Anything else is refused rather than guessed at.
 */
const FORMS = {
  [UTC_TIME]: /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/,
  [GENERALIZED_TIME]: /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/,
} as const;

/** Reads a certificate Time as an ISO 8601 string (what ParsedCertificate holds). Throws DerError. */
export function readX509Time(node: DerNode | undefined, what: string): string {
  if (!node || (node.tag !== UTC_TIME && node.tag !== GENERALIZED_TIME))
    throw new DerError(`${what}: expected UTCTime or GeneralizedTime`);
  // Both forms are 13 or 15 ASCII characters; a longer value is refused before any decoding.
  if (node.content.length > 15) throw new DerError(`${what}: ${node.content.length} octets is not a time`);
  const text = String.fromCharCode(...node.content);
  const match = FORMS[node.tag].exec(text);
  if (!match) throw new DerError(`${what}: "${text}" is not an RFC 5280 time`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
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
  if (!valid) throw new DerError(`${what}: "${text}" is not a calendar time`);
  return date.toISOString();
}
