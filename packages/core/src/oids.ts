/** OIDs certfleet names in findings. Data only. */

export const OID = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  /** szOID_CERTIFICATE_TEMPLATE: v2 template (OID + major/minor version). */
  msCertificateTemplate: "1.3.6.1.4.1.311.21.7",
  /** szOID_ENROLL_CERTTYPE_EXTENSION: v1 template name (BMPString). */
  msEnrollCertType: "1.3.6.1.4.1.311.20.2",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsassaPss: "1.2.840.113549.1.1.10",
  ecPublicKey: "1.2.840.10045.2.1",
  pkcs7Data: "1.2.840.113549.1.7.1",
  pkcs7SignedData: "1.2.840.113549.1.7.2",
} as const;

/** Friendly EKU names for messages; unknown OIDs are shown as-is. */
export const EKU_NAMES: Readonly<Record<string, string>> = {
  [OID.serverAuth]: "Server Authentication",
  [OID.clientAuth]: "Client Authentication",
  "1.3.6.1.5.5.7.3.3": "Code Signing",
  "1.3.6.1.5.5.7.3.4": "Secure Email",
  "1.3.6.1.5.5.7.3.8": "Time Stamping",
  "1.3.6.1.5.5.7.3.9": "OCSP Signing",
  "1.3.6.1.4.1.311.10.3.4": "Encrypting File System",
  "1.3.6.1.4.1.311.20.2.2": "Smart Card Logon",
  "2.5.29.37.0": "Any Purpose",
};

export function ekuLabel(oid: string): string {
  const name = EKU_NAMES[oid];
  return name ? `${name} (${oid})` : oid;
}

/** Signature algorithm OID -> conventional name and the hash it uses. */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, { name: string; hash: string | null }>> = {
  "1.2.840.113549.1.1.2": { name: "md2WithRSAEncryption", hash: "MD2" },
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", hash: "MD5" },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", hash: "SHA-1" },
  "1.3.14.3.2.29": { name: "sha1WithRSASignature", hash: "SHA-1" },
  "1.2.840.113549.1.1.14": { name: "sha224WithRSAEncryption", hash: "SHA-224" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", hash: "SHA-256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", hash: "SHA-384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", hash: "SHA-512" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", hash: "SHA-1" },
  "1.2.840.10045.4.3.1": { name: "ecdsa-with-SHA224", hash: "SHA-224" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", hash: "SHA-256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", hash: "SHA-384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", hash: "SHA-512" },
  "1.2.840.10040.4.3": { name: "dsa-with-sha1", hash: "SHA-1" },
  "2.16.840.1.101.3.4.3.2": { name: "dsa-with-sha256", hash: "SHA-256" },
  "1.3.101.112": { name: "Ed25519", hash: null },
  "1.3.101.113": { name: "Ed448", hash: null },
};

/** Hash algorithm OIDs (RSASSA-PSS parameters name their hash this way). */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  "1.2.840.113549.2.5": "MD5",
  "1.3.14.3.2.26": "SHA-1",
  "2.16.840.1.101.3.4.2.4": "SHA-224",
  "2.16.840.1.101.3.4.2.1": "SHA-256",
  "2.16.840.1.101.3.4.2.2": "SHA-384",
  "2.16.840.1.101.3.4.2.3": "SHA-512",
};

/** SubjectPublicKeyInfo algorithm OID -> the name ParsedCertificate.publicKeyAlgorithm uses. */
export const PUBLIC_KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  [OID.rsaEncryption]: "RSA",
  [OID.rsassaPss]: "RSA-PSS",
  [OID.ecPublicKey]: "EC",
  "1.2.840.10040.4.1": "DSA",
  "1.3.101.110": "X25519",
  "1.3.101.111": "X448",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
};

/** Named curve OID -> key size in bits. */
export const EC_CURVE_BITS: Readonly<Record<string, number>> = {
  "1.2.840.10045.3.1.7": 256, // P-256
  "1.3.132.0.34": 384, // P-384
  "1.3.132.0.35": 521, // P-521
  "1.3.132.0.10": 256, // secp256k1
  "1.3.36.3.3.2.8.1.1.7": 256, // brainpoolP256r1
  "1.3.36.3.3.2.8.1.1.11": 384, // brainpoolP384r1
  "1.3.36.3.3.2.8.1.1.13": 512, // brainpoolP512r1
};
