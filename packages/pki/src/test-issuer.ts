import { generateRsaKeys, type KeyPair } from "./crypto";
import { createCa, type Issuer } from "./issue";

const DAY = 86_400_000;

/** An issuing CA plus one leaf key pair to issue many certificates with (RSA key generation is the slow part). */
export interface TestIssuer {
  issuer: Issuer;
  leafKeys: KeyPair;
}

/** A CA valid from a year ago for ten years, for tests and benchmarks that issue certificates "now". */
export async function createTestIssuer(subject: string): Promise<TestIssuer> {
  const [caKeys, leafKeys] = await Promise.all([generateRsaKeys(2048), generateRsaKeys(2048)]);
  const issuer = await createCa({
    subject,
    keys: caKeys,
    notBefore: new Date(Date.now() - 365 * DAY),
    notAfter: new Date(Date.now() + 10 * 365 * DAY),
  });
  return { issuer, leafKeys };
}
