// @peculiar/x509 (loaded by ./certificate) needs the Reflect metadata API before it is imported.
import "reflect-metadata";

export { findBoundCertificate, hashNamesCertificate } from "./binding";
export {
  CertificateParseError,
  type CertificateParseErrorReason,
  detectPrivateKeyMaterial,
  type PrivateKeyMaterial,
  parseCertificate,
  windowsKeyUsageFromX509Flags,
} from "./certificate";
export { evaluateHost, sortFindings, statusOf } from "./evaluate";
export {
  DAY_MS,
  daysUntil,
  EXPIRY_BUCKETS,
  type ExpiryBucket,
  expiryBucket,
  expiryBucketBounds,
  formatDay,
  isExpired,
} from "./expiry";
export { HexFormatError, normalizeHex } from "./hex";
export {
  type HostNameMatch,
  matchHostName,
  nameScomReads,
  normalizeDn,
  normalizeHostName,
  type ScomName,
} from "./names";
export { RULE_CATALOG, type RuleMeta, ruleMeta } from "./rules/catalog";
export { renderRuleCatalogMarkdown } from "./rules/catalog-markdown";
export {
  certificateSerialToRegistryHex,
  compareRegistrySerial,
  mirroredSerialToHex,
  type SerialComparison,
} from "./serial";
export * from "./types";
