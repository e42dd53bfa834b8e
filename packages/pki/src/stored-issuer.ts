/**
 * A CA kept on disk between runs: its certificate and its PKCS#8 private key, base64. Used for the demo
 * estate's own CA in the local data directory; never sent anywhere.
 */
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { RSA } from "./crypto";
import { type Issuer, issuerFrom } from "./issue";

export interface StoredIssuer {
  /** Base64 DER of the CA certificate. */
  certificate: string;
  /** Base64 PKCS#8 of the CA's RSA private key. */
  privateKey: string;
}

export async function exportIssuer(issuer: Issuer): Promise<StoredIssuer> {
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", issuer.keys.privateKey);
  return {
    certificate: Buffer.from(issuer.der).toString("base64"),
    privateKey: Buffer.from(pkcs8).toString("base64"),
  };
}

export async function importIssuer(stored: StoredIssuer): Promise<Issuer> {
  const certificate = new x509.X509Certificate(Buffer.from(stored.certificate, "base64"));
  const algorithm = { name: RSA, hash: "SHA-256" };
  // Extractable: Issuer derives one signing key per hash by re-importing the PKCS#8.
  const privateKey = await webcrypto.subtle.importKey(
    "pkcs8",
    Buffer.from(stored.privateKey, "base64"),
    algorithm,
    true,
    ["sign"],
  );
  const publicKey = await certificate.publicKey.export(algorithm, ["verify"]);
  return issuerFrom(certificate, { privateKey, publicKey });
}
