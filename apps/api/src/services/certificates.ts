import { createHash } from "node:crypto";
import type { Report } from "@certfleet/contracts";
import {
  CertificateParseError,
  detectPrivateKeyMaterial,
  type ParsedCertificate,
  parseCertificate,
} from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { TimeSlice } from "../lib/time-slice";
import { ProblemError } from "../problem";

export interface DecodedCertificate {
  der: Buffer;
  sha256: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
const PEM_END = "-----END CERTIFICATE-----";
/**
 * The longest `der` the report contract allows (64 KiB of base64). The private-key scan calls this before
 * schema validation, so it must not spend time on longer text the schema will refuse anyway.
 */
const MAX_CERTIFICATE_TEXT = 65_536;

/**
 * Base64 (or a PEM certificate, which collectors sometimes send) → DER bytes, strictly. No regular
 * expression here can backtrack: the armour is found with indexOf and the rest are single linear passes.
 */
export function decodeCertificateText(text: string): Buffer | null {
  if (text.length > MAX_CERTIFICATE_TEXT) return null;
  const compact = stripPemArmour(text.trim()).replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return null;
  return Buffer.from(compact, "base64");
}

/** The base64 between the first BEGIN and the first END CERTIFICATE line, or the text itself. */
function stripPemArmour(text: string): string {
  if (!text.startsWith(PEM_BEGIN)) return text;
  const end = text.indexOf(PEM_END, PEM_BEGIN.length);
  // Only whitespace may follow the END line (trim removed it): a second block or trailing text is not one certificate.
  if (end < 0 || end + PEM_END.length !== text.length) return text;
  return text.slice(PEM_BEGIN.length, end);
}

/** Decodes every `certificates[i].der`; all problems are reported together, each naming its field. */
export function decodeCertificates(report: Report): DecodedCertificate[] {
  const errors: { field: string; message: string }[] = [];
  const decoded = report.certificates.map((candidate, index) => {
    const der = decodeCertificateText(candidate.der);
    if (!der) errors.push({ field: `certificates[${index}].der`, message: "is not base64-encoded DER" });
    return der ?? Buffer.alloc(0);
  });
  if (errors.length) throw new ProblemError(422, "Invalid certificate encoding", errors[0]?.message, errors);
  return decoded.map((der) => ({ der, sha256: createHash("sha256").update(der).digest("hex") }));
}

/** The parse result of every stored certificate among `sha256s`, in one query. */
export async function loadStoredCertificates(
  db: Pick<Database, "$queryRaw">,
  sha256s: Iterable<string>,
): Promise<Map<string, ParsedCertificate>> {
  const distinct = [...new Set(sha256s)];
  const stored = distinct.length
    ? await db.$queryRaw<{ sha256: string; parsed: unknown }[]>`
        SELECT "sha256", "parsed" FROM "Certificate" WHERE "sha256" = ANY(${distinct}::text[])`
    : [];
  return new Map(stored.map((row) => [row.sha256, row.parsed as unknown as ParsedCertificate]));
}

/**
 * Parses the certificates of one report that `parsed` does not hold yet, adding them to `parsed` and
 * `fresh` (so a batch parses each distinct certificate once), giving the event loop a turn whenever
 * the batch's `slice` is spent. Throws 422 naming the field on non-certificates; `parsed`
 * and `fresh` then hold only what did parse.
 */
export async function parseFreshCertificates(
  decoded: DecodedCertificate[],
  parsed: Map<string, ParsedCertificate>,
  fresh: Map<string, DecodedCertificate>,
  slice: TimeSlice = new TimeSlice(),
): Promise<void> {
  const errors: { field: string; message: string }[] = [];
  for (const [index, item] of decoded.entries()) {
    if (parsed.has(item.sha256)) continue;
    await slice.yieldIfSpent();
    try {
      parsed.set(item.sha256, parseCertificate(item.der));
      fresh.set(item.sha256, item);
    } catch (error) {
      if (!(error instanceof CertificateParseError)) throw error;
      const field = `certificates[${index}].der`;
      const message = detectPrivateKeyMaterial(item.der)
        ? "contains private key material; send the public certificate only"
        : `is not an X.509 certificate (${error.message})`;
      errors.push({ field, message });
    }
  }
  if (errors.length) throw new ProblemError(422, "Invalid certificate", errors[0]?.message, errors);
}
