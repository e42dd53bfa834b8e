import { ekuLabel, OID } from "../oids";
import { type CertificateRule, finding, listOf } from "./context";

const REQUIRED_EKUS = [OID.serverAuth, OID.clientAuth] as const;

/** eku-server-client (seed "Certificate Requirements", [EnhancedKeyUsageExtension]). */
export const ekuServerClientRule: CertificateRule = ({ certificate }) => {
  const ekus = certificate.extendedKeyUsages;
  if (ekus === null) {
    return [
      finding(
        "eku-server-client",
        "error",
        `the certificate has no Enhanced Key Usage extension; SCOM needs ${listOf(REQUIRED_EKUS.map(ekuLabel))}`,
      ),
    ];
  }
  const missing = REQUIRED_EKUS.filter((oid) => !ekus.includes(oid));
  if (missing.length === 0) return [];
  const has = ekus.length > 0 ? listOf(ekus.map(ekuLabel)) : "no usages";
  return [
    finding(
      "eku-server-client",
      "error",
      `Enhanced Key Usage lacks ${listOf(missing.map(ekuLabel))}; it has ${has}`,
    ),
  ];
};

/** Windows KeyUsage flags (as the MMC and certutil show them) and their names. */
const KEY_USAGE_NAMES: ReadonlyArray<[number, string]> = [
  [0x80, "Digital Signature"],
  [0x40, "Non-Repudiation"],
  [0x20, "Key Encipherment"],
  [0x10, "Data Encipherment"],
  [0x08, "Key Agreement"],
  [0x04, "Certificate Signing"],
  [0x02, "CRL Signing"],
  [0x01, "Encipher Only"],
  [0x8000, "Decipher Only"],
];
const REQUIRED_KEY_USAGE: ReadonlyArray<[number, string]> = [
  [0x80, "Digital Signature (0x80)"],
  [0x20, "Key Encipherment (0x20)"],
];

function hexFlags(value: number): string {
  return `0x${value.toString(16).padStart(2, "0")}`;
}

export function describeKeyUsage(value: number): string {
  const names = KEY_USAGE_NAMES.filter(([bit]) => value & bit).map(([, name]) => name);
  return `${hexFlags(value)} (${names.length > 0 ? names.join(", ") : "none"})`;
}

/**
 * key-usage: Digital Signature and Key Encipherment (0xA0). The seed's .inf asks for 0xf0, but only these
 * two are required; SCOM's event 20049 names exactly them (ARCHITECTURE rule table).
 */
export const keyUsageRule: CertificateRule = ({ certificate }) => {
  const usage = certificate.keyUsage;
  if (usage === null) {
    return [
      finding(
        "key-usage",
        "error",
        "the certificate has no Key Usage extension; SCOM needs Digital Signature (0x80) and Key Encipherment (0x20)",
      ),
    ];
  }
  const missing = REQUIRED_KEY_USAGE.filter(([bit]) => (usage & bit) === 0).map(([, name]) => name);
  if (missing.length === 0) return [];
  return [
    finding("key-usage", "error", `key usage is ${describeKeyUsage(usage)}; it lacks ${listOf(missing)}`),
  ];
};
