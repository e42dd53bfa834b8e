/**
 * The demo estate's own CA, generated once per data directory and kept in `<dataDir>/demo-ca.json`
 * (certificate + PKCS#8 private key, mode 0600) so a restart issues from the same CA. The file never
 * leaves the local data directory: reports carry public certificates only.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  createCa,
  exportIssuer,
  generateRsaKeys,
  type Issuer,
  importIssuer,
  type StoredIssuer,
} from "@certfleet/pki";

export const DEMO_CA_FILE = "demo-ca.json";
export const DEMO_CA_SUBJECT = "CN=Contoso Issuing CA 1, O=Contoso";

const YEAR = 365 * 24 * 60 * 60 * 1000;

/**
 * Valid from eight years before its creation (renewal histories reach back six) to twelve after, so
 * every demo certificate fits inside it and its two-year certificates stay within half its life.
 */
export async function createDemoCa(now: Date): Promise<Issuer> {
  return createCa({
    subject: DEMO_CA_SUBJECT,
    keys: await generateRsaKeys(2048),
    notBefore: new Date(now.getTime() - 8 * YEAR),
    notAfter: new Date(now.getTime() + 12 * YEAR),
  });
}

export async function loadOrCreateDemoCa(
  dataDir: string,
  now: Date,
): Promise<{ issuer: Issuer; file: string; created: boolean }> {
  const file = path.join(dataDir, DEMO_CA_FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(await readFile(file, "utf8")) as StoredIssuer;
    return { issuer: await importIssuer(stored), file, created: false };
  }
  const issuer = await createDemoCa(now);
  await mkdir(dataDir, { recursive: true });
  // Written whole or not at all: a half-written key file would break every later start.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(await exportIssuer(issuer), null, 2)}\n`, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, file);
  return { issuer, file, created: true };
}
