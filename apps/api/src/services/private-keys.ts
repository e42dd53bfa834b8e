import { detectPrivateKeyMaterial } from "@certfleet/core";
import { ProblemError } from "../problem";
import { decodeCertificateText } from "./certificates";

/**
 * Finds private key material anywhere in a request body: PEM "PRIVATE KEY" blocks in any string,
 * and PKCS#12 / PKCS#8 blobs in certificate `der` fields. Returns the field it was found in.
 * Runs before schema validation so a key is refused (422) even inside an otherwise broken report.
 */
export function findPrivateKeyMaterial(value: unknown, field = ""): string | null {
  if (typeof value === "string") {
    if (detectPrivateKeyMaterial(value)) return field || "(body)";
    if (field.endsWith(".der")) {
      const bytes = decodeCertificateText(value);
      if (bytes && detectPrivateKeyMaterial(bytes)) return field;
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findPrivateKeyMaterial(item, `${field}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = findPrivateKeyMaterial(item, field ? `${field}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

export function privateKeyRefused(field: string): ProblemError {
  return new ProblemError(
    422,
    "Private key material refused",
    "certfleet never accepts private keys; collectors send the public certificate only. Nothing was stored.",
    [{ field, message: "contains private key material" }],
  );
}

export function refusePrivateKeys(body: unknown, prefix = ""): void {
  const field = findPrivateKeyMaterial(body, prefix);
  if (field) throw privateKeyRefused(field);
}
