import { createHash, randomBytes } from "node:crypto";
import type { Database } from "@certfleet/db";

/** Tokens are 256-bit random strings, so a plain SHA-256 is the right hash (argon2 is for passwords). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  return `cfc_${randomBytes(32).toString("base64url")}`;
}

/** Makes sure a collector token exists for this secret (CERTFLEET_COLLECTOR_TOKEN); stores only the hash. */
export async function ensureCollectorToken(db: Database, token: string, name: string): Promise<void> {
  const tokenHash = hashToken(token);
  await db.apiToken.upsert({
    where: { tokenHash },
    create: { tokenHash, name, kind: "collector" },
    update: {},
  });
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** The token's id when it is a live collector token; null otherwise. */
export async function verifyCollectorToken(db: Database, token: string): Promise<number | null> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, kind: true, revokedAt: true, lastUsedAt: true },
  });
  if (row?.kind !== "collector" || row.revokedAt) return null;
  const now = new Date();
  // Recording every use would add a write to every report; a minute's resolution is enough.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return row.id;
}
