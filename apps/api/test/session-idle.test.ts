import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSession, isSessionIdle, pruneExpiredSessions } from "../src/services/auth/sessions";
import { createTestApp, type SignedIn, signIn, TEST_ADMIN, type TestApp } from "./support/app";

/**
 * Sessions end after CERTFLEET_SESSION_IDLE_MINUTES without use, as well as after the absolute
 * CERTFLEET_SESSION_HOURS. Use is recorded on the Session row at most once a minute.
 */
const IDLE_MINUTES = 5;
const MINUTE = 60_000;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CERTFLEET_SESSION_IDLE_MINUTES: String(IDLE_MINUTES) });
});
afterAll(async () => t?.close());

const whoAmI = (who: SignedIn) =>
  t.app.inject({ method: "GET", url: "/api/v1/auth/session", headers: who.headers });

/** The Session row of a signed-in browser (the cookie holds the token, the row its hash). */
async function sessionRow(who: SignedIn) {
  const rows = await t.db.session.findMany({ where: { userId: who.userId }, orderBy: { createdAt: "desc" } });
  const row = rows[0];
  if (!row) throw new Error("no session row");
  return row;
}

/** Pretends the browser's last request was `minutesAgo` ago. */
async function lastSeen(who: SignedIn, minutesAgo: number): Promise<Date> {
  const row = await sessionRow(who);
  const at = new Date(Date.now() - minutesAgo * MINUTE);
  await t.db.session.update({ where: { id: row.id }, data: { lastSeenAt: at } });
  return at;
}

describe("idle sessions", () => {
  it("ends a session unused for longer than the idle limit, though its absolute limit is hours away", async () => {
    const who = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    await lastSeen(who, IDLE_MINUTES + 1);
    const response = await whoAmI(who);
    expect(response.statusCode).toBe(401);
    expect((await sessionRow(who)).expiresAt.getTime()).toBeGreaterThan(Date.now() + 60 * MINUTE);
  });

  it("keeps a session in use alive, and records the use", async () => {
    const who = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    await lastSeen(who, IDLE_MINUTES - 1);
    expect((await whoAmI(who)).statusCode).toBe(200);
    expect(Date.now() - (await sessionRow(who)).lastSeenAt.getTime()).toBeLessThan(10_000);
    // Minutes later the session still answers: the request above counted as use.
    await lastSeen(who, IDLE_MINUTES - 1);
    expect((await whoAmI(who)).statusCode).toBe(200);
  });

  it("writes lastSeenAt at most once a minute, not on every request", async () => {
    const who = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const at = await lastSeen(who, 0.5);
    for (let n = 0; n < 3; n++) expect((await whoAmI(who)).statusCode).toBe(200);
    expect((await sessionRow(who)).lastSeenAt.getTime()).toBe(at.getTime());
  });

  it("lets the live stream re-check a session without counting it as use", async () => {
    const who = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const at = await lastSeen(who, IDLE_MINUTES - 1);
    const row = await sessionRow(who);
    const limits = { idleMinutes: IDLE_MINUTES };
    expect((await checkSession(t.db, row.id, limits))?.user.email).toBe(TEST_ADMIN.email);
    expect((await sessionRow(who)).lastSeenAt.getTime()).toBe(at.getTime()); // not touched
    await lastSeen(who, IDLE_MINUTES + 1);
    expect(await checkSession(t.db, row.id, limits)).toBeNull();
  });

  it("prunes idle sessions with the expired ones, and nothing in use", async () => {
    const idle = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const idleRow = await sessionRow(idle);
    await lastSeen(idle, IDLE_MINUTES + 2);
    const live = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const liveRow = await sessionRow(live);
    expect(await pruneExpiredSessions(t.db, { idleMinutes: IDLE_MINUTES })).toBeGreaterThanOrEqual(1);
    expect(await t.db.session.findUnique({ where: { id: idleRow.id } })).toBeNull();
    expect(await t.db.session.findUnique({ where: { id: liveRow.id } })).not.toBeNull();
  });

  it("measures idleness against the limit in minutes", () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 0);
    expect(isSessionIdle(new Date(now - 59 * MINUTE), 60, now)).toBe(false);
    expect(isSessionIdle(new Date(now - 60 * MINUTE), 60, now)).toBe(false);
    expect(isSessionIdle(new Date(now - 60 * MINUTE - 1), 60, now)).toBe(true);
  });
});
