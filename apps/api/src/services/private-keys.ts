import { type PrivateKeyScanResult, scanForPrivateKeyMaterial } from "@certfleet/core";
import { type FieldError, ProblemError } from "../problem";
import { decodeCertificateText } from "./certificates";

/**
 * Checks a request body for private key material: PEM "PRIVATE KEY" blocks in any string, and PKCS#12 /
 * PKCS#8 blobs in any base64 string and in certificate `der` fields (decoded as ingest will decode them).
 * Runs before schema validation so a key is refused (422) even inside an otherwise broken report; the scan
 * is iterative, linear and bounded (see scanForPrivateKeyMaterial), so a hostile body cannot stall it.
 */
export function scanBody(value: unknown, prefix = ""): PrivateKeyScanResult | null {
  return scanForPrivateKeyMaterial(value, {
    prefix,
    decodeField: (field, text) => (field.endsWith(".der") ? decodeCertificateText(text) : null),
  });
}

/**
 * The field holding private key material, or null. Throws the 400 problem when the body is too deep or
 * too large to scan, so callers that only ask "is there a key?" still refuse such a body.
 */
export function findPrivateKeyMaterial(value: unknown, prefix = ""): string | null {
  const result = scanBody(value, prefix);
  if (!result) return null;
  if (result.kind !== "private-key") throw scanProblem(result);
  return result.field;
}

export function privateKeyRefused(field: string): ProblemError {
  return new ProblemError(
    422,
    "Private key material refused",
    "certfleet never accepts private keys; collectors send the public certificate only. Nothing was stored.",
    [{ field, message: "contains private key material" }],
  );
}

/** The answer to a scan result: 422 for a key, 400 for a body nested or sized to make the scan slow. */
export function scanProblem(result: PrivateKeyScanResult): ProblemError {
  if (result.kind === "private-key") return privateKeyRefused(result.field);
  const error: FieldError =
    result.kind === "too-deep"
      ? { field: result.field, message: "is nested too deeply (a report is at most a few levels deep)" }
      : { field: result.field, message: "holds too many values for a report" };
  const title = result.kind === "too-deep" ? "JSON nested too deeply" : "Report too large";
  return new ProblemError(400, title, `${error.field} ${error.message}`, [error]);
}

export function refusePrivateKeys(body: unknown, prefix = ""): void {
  const result = scanBody(body, prefix);
  if (result) throw scanProblem(result);
}
