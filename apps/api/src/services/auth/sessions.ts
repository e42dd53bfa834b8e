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
  /** The user must pick a new password before the session reaches anything but who-am-I, sign-out and that. */
  passwordChangeRequired: boolean;
}

/** When a session ends even while it is used (absolute) and when it ends because nobody uses it (idle). */
export interface SessionLimits {
  idleMinutes: number;
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

/**
 * lastSeenAt is written at most once a minute (one UPDATE per session per minute, not one per
 * request), so idleness is measured to the minute: a session may end up to a minute early.
 */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** True when nothing has used the session for longer than the idle limit. */
export function isSessionIdle(lastSeenAt: Date, idleMinutes: number, now = Date.now()): boolean {
  return now - lastSeenAt.getTime() > idleMinutes * 60_000;
}

const SESSION_FIELDS = {
  id: true,
  method: true,
  expiresAt: true,
  lastSeenAt: true,
  user: {
    select: { id: true, email: true, name: true, role: true, disabledAt: true, mustChangePassword: true },
  },
} as const;

/**
 * The live session for a cookie value, or null (unknown, past its absolute or idle limit, or the
 * user is disabled). Finding it counts as activity: this is the lookup of every signed-in request.
 */
export async function findSession(
  db: Database,
  token: string,
  limits: SessionLimits,
): Promise<ActiveSession | null> {
  return liveSession(db, hashToken(token), limits, true);
}

/**
 * The same checks by session id, without counting as activity: for a long-lived connection (the
 * live stream) re-checking the session it opened with, so an open tab alone never keeps an idle
 * session alive.
 */
export async function checkSession(
  db: Database,
  sessionId: string,
  limits: SessionLimits,
): Promise<ActiveSession | null> {
  return liveSession(db, sessionId, limits, false);
}

async function liveSession(
  db: Database,
  sessionId: string,
  limits: SessionLimits,
  touch: boolean,
): Promise<ActiveSession | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: SESSION_FIELDS });
  const now = Date.now();
  if (!row || row.expiresAt.getTime() <= now || row.user.disabledAt) return null;
  if (isSessionIdle(row.lastSeenAt, limits.idleMinutes, now)) return null;
  if (touch && now - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(now) } });
  }
  const { disabledAt: _disabled, mustChangePassword, ...user } = row.user;
  return {
    id: row.id,
    user,
    method: row.method === "oidc" ? "oidc" : "password",
    expiresAt: row.expiresAt,
    passwordChangeRequired: mustChangePassword,
  };
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

/** Dead rows: past the absolute limit, or (given the idle limit) unused for longer than it. */
export async function pruneExpiredSessions(db: Database, limits?: SessionLimits): Promise<number> {
  const now = Date.now();
  const { count } = await db.session.deleteMany({
    where: {
      OR: [
        { expiresAt: { lt: new Date(now) } },
        ...(limits ? [{ lastSeenAt: { lt: new Date(now - limits.idleMinutes * 60_000) } }] : []),
      ],
    },
  });
  return count;
}
