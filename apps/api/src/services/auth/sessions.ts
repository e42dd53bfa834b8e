import { randomBytes } from "node:crypto";
import type { SessionUser } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import { hashToken } from "../tokens";

export const SESSION_COOKIE = "certfleet_session";

export interface ActiveSession {
  id: string;
  user: SessionUser;
  method: "password" | "oidc";
  expiresAt: Date;
}

/** A fresh session; returns the cookie value (only its hash is stored). */
export async function createSession(
  db: Database,
  userId: number,
  method: "password" | "oidc",
  hours: number,
  client: { ip: string; userAgent: string | undefined },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  await db.$transaction([
    db.session.create({
      data: {
        id: hashToken(token),
        userId,
        method,
        expiresAt,
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 300) ?? null,
      },
    }),
    db.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } }),
  ]);
  return { token, expiresAt };
}

const LAST_SEEN_RESOLUTION_MS = 60_000;

/** The live session for a cookie value, or null (unknown, expired, or the user is disabled). */
export async function findSession(db: Database, token: string): Promise<ActiveSession | null> {
  const row = await db.session.findUnique({
    where: { id: hashToken(token) },
    select: {
      id: true,
      method: true,
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  const now = Date.now();
  if (!row || row.expiresAt.getTime() <= now || row.user.disabledAt) return null;
  if (now - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(now) } });
  }
  const { disabledAt: _disabled, ...user } = row.user;
  return { id: row.id, user, method: row.method === "oidc" ? "oidc" : "password", expiresAt: row.expiresAt };
}

export async function endSession(db: Database, sessionId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { id: sessionId } });
  return count;
}

/** "Sign out everywhere": every browser of this user. */
export async function endAllSessions(db: Database, userId: number): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } });
  return count;
}

export async function pruneExpiredSessions(db: Database): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
