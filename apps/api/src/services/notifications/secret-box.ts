import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Database } from "@certfleet/db";
import type { Config } from "../../config";

/**
 * Webhook signing secrets at rest: AES-256-GCM with the key from CERTFLEET_SECRET_KEY (or, on the
 * embedded database, a key file in the data dir). A database dump or backup alone does not let
 * anyone forge certfleet's webhook signatures.
 *
 * Stored form: `enc:v1:<iv>.<tag>.<ciphertext>` (base64url). A value without the prefix is a
 * secret stored in clear by an older version: it still works, and is encrypted at start-up.
 */
const PREFIX = "enc:v1:";
/** Binds each ciphertext to its use: a value copied into another encrypted column will not decrypt. */
const CONTEXT = Buffer.from("certfleet:notification-channel:secret");
export const SECRET_KEY_FILE = "secret-key";

export function isEncryptedSecret(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(CONTEXT);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url"));
  return `${PREFIX}${parts.join(".")}`;
}

export class SecretUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretUnavailable";
  }
}

/** The secret a stored value holds; throws SecretUnavailable when it cannot be decrypted. */
export function decryptSecret(key: Buffer | null, stored: string): string {
  if (!isEncryptedSecret(stored)) return stored;
  if (!key)
    throw new SecretUnavailable("the signing secret is encrypted but CERTFLEET_SECRET_KEY is not set");
  const [iv, tag, ciphertext] = stored.slice(PREFIX.length).split(".");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv ?? "", "base64url"));
    decipher.setAAD(CONTEXT);
    decipher.setAuthTag(Buffer.from(tag ?? "", "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext ?? "", "base64url")),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SecretUnavailable("the signing secret cannot be decrypted (was CERTFLEET_SECRET_KEY changed?)");
  }
}

/**
 * The key secrets are encrypted with: CERTFLEET_SECRET_KEY; else, on the embedded database, the
 * key file in the data dir (created with 0600 on first start, like the embedded Postgres
 * credentials beside it); else null (webhook channels cannot be created until it is set).
 */
export async function resolveSecretKey(config: Pick<Config, "databaseUrl" | "dataDir" | "notifications">) {
  if (config.notifications.secretKey) return config.notifications.secretKey;
  if (config.databaseUrl !== null) return null;
  const file = path.join(path.resolve(config.dataDir), SECRET_KEY_FILE);
  if (!existsSync(file)) {
    try {
      // "wx": never overwrite a key another process has just written (it encrypts with that one).
      await writeFile(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  // A key file others can read (copied in by hand, restored from a backup) is made the owner's alone.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const key = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} must hold 32 bytes in base64 (the webhook secret key)`);
  return key;
}

/**
 * Encrypts every webhook secret still stored in clear (written before secrets were encrypted).
 * Each row is rewritten only if it still holds the value read, so instances starting together
 * cannot encrypt a value twice. Answers how many were encrypted.
 */
export async function encryptStoredSecrets(db: Database, key: Buffer): Promise<number> {
  const rows = await db.notificationChannel.findMany({
    where: { secret: { not: null }, NOT: { secret: { startsWith: PREFIX } } },
    select: { id: true, secret: true },
  });
  let encrypted = 0;
  for (const row of rows) {
    if (row.secret === null) continue;
    const { count } = await db.notificationChannel.updateMany({
      where: { id: row.id, secret: row.secret },
      data: { secret: encryptSecret(key, row.secret) },
    });
    encrypted += count;
  }
  return encrypted;
}
