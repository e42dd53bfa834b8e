/**
 * WebCrypto keys for @peculiar/x509. @peculiar/x509 needs the Reflect metadata API before it loads and a
 * crypto provider: Node's webcrypto is the same API as the DOM one it is typed against.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type KeyPair = webcrypto.CryptoKeyPair;
export type Hash = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";
export type SigningAlgorithm = NonNullable<x509.X509CertificateCreateParamsBase["signingAlgorithm"]>;

export const RSA = "RSASSA-PKCS1-v1_5";

/** RSA key generation is the slow part (~100 ms for 2048 bits): generate few keys and reuse them. */
export async function generateRsaKeys(modulusLength = 2048): Promise<KeyPair> {
  const algorithm = { name: RSA, hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength };
  return (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as KeyPair;
}

export async function generateEcKeys(namedCurve: "P-256" | "P-384" = "P-256"): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve }, true, [
    "sign",
    "verify",
  ])) as KeyPair;
}
