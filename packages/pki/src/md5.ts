/**
 * Rewrites every sha256WithRSAEncryption OID in a certificate to md5WithRSAEncryption (same length, so
 * the DER stays well formed). WebCrypto cannot sign with MD5; the parser only needs to name it.
 */
export function withMd5SignatureOid(der: Uint8Array): Uint8Array {
  const sha256Rsa = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
  const out = new Uint8Array(der);
  for (let i = 0; i + sha256Rsa.length <= out.length; i++) {
    if (sha256Rsa.every((b, k) => out[i + k] === b)) out[i + sha256Rsa.length - 1] = 0x04;
  }
  return out;
}
