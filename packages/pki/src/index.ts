// Certificates built in code: the one implementation behind core's rule tests, the api tests and the
// demo estate.
export { generateEcKeys, generateRsaKeys, type Hash, type KeyPair } from "./crypto";
export {
  type CaOptions,
  createCa,
  createLeaf,
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  type Issuer,
  issuerFrom,
  KU,
  type LeafOptions,
} from "./issue";
export { withMd5SignatureOid } from "./md5";
export { exportIssuer, importIssuer, type StoredIssuer } from "./stored-issuer";
export { templateNameExtension, templateV2Extension } from "./template-extensions";
export { createTestIssuer, type TestIssuer } from "./test-issuer";
