import { type CertificateRule, finding } from "./context";

const MIN_RSA_BITS = 2048;
/** Hashes at least as strong as SHA-256 (seed: HashAlgorithm = SHA256). SHA-224 is weaker, so it fails. */
const STRONG_HASHES = new Set(["SHA-256", "SHA-384", "SHA-512"]);

/** rsa-2048 (seed "Certificate Requirements": Algorithm name RSA, Minimum Key Size 2048; legacy CSPs only do RSA). */
export const rsa2048Rule: CertificateRule = ({ certificate }) => {
  const { publicKeyAlgorithm: algorithm, publicKeySize: size } = certificate;
  const bits = size === null ? "unknown size" : `${size}-bit`;
  if (algorithm !== "RSA") {
    return [
      finding(
        "rsa-2048",
        "error",
        `the key is ${algorithm} (${bits}); SCOM needs an RSA key of at least ${MIN_RSA_BITS} bits (ECC is not supported)`,
      ),
    ];
  }
  if (size === null) {
    return [
      finding(
        "rsa-2048",
        "error",
        `the RSA key size could not be read; SCOM needs at least ${MIN_RSA_BITS} bits`,
      ),
    ];
  }
  if (size < MIN_RSA_BITS) {
    return [
      finding("rsa-2048", "error", `the RSA key is ${size} bits; SCOM needs at least ${MIN_RSA_BITS} bits`),
    ];
  }
  return [];
};

/** sha256 (seed "Certificate Requirements": HashAlgorithm = SHA256). */
export const sha256Rule: CertificateRule = ({ certificate }) => {
  const { signatureAlgorithm, signatureHash } = certificate;
  if (signatureHash !== null && STRONG_HASHES.has(signatureHash)) return [];
  const hash = signatureHash === null ? "an unrecognised hash" : signatureHash;
  return [
    finding(
      "sha256",
      "error",
      `signature is ${signatureAlgorithm} (${hash}); SCOM needs SHA-256 or stronger`,
    ),
  ];
};
