import { type Database, Prisma } from "@certfleet/db";

/**
 * Failed sign-ins become ONE audit entry per account (or, when the e-mail names no account, per
 * address) and window, with a count, instead of one row per attempt: a password guesser cannot
 * bury the log, and the log still says who was targeted, from where, how often and why it failed.
 *
 * The audit log is append-only (ADR 0006), so the running count lives in SignInFailureWindow,
 * upserted by whichever API instance saw the attempt (Postgres counts, so racing instances never
 * lose one). A window is closed, meaning its row deleted and its summary appended to AuditEvent
 * in the same transaction, when it ends (the sweeper, or the next failure for that key), or at
 * once when the account signs in, so the log reads "N failures, then signed in".
 */

export const SIGN_IN_FAILURE_WINDOW_MS = 15 * 60_000;
/** Addresses, e-mails and reasons listed per window; the count still counts every attempt. */
const MAX_LISTED = 20;
const MAX_REASON_LENGTH = 200;

export interface SignInFailure {
  method: "password" | "oidc";
  /** For the audit log ("wrong password", "e-mail not verified by the provider"…), never a secret. */
  reason: string;
  ip: string;
  /** The account the attempt was for, when one exists. */
  account: { id: number; email: string } | null;
  /** The e-mail typed or claimed, listed in the address window when it names no account. */
  email: string | null;
}

function windowKey(failure: SignInFailure): string {
  return failure.account ? accountWindowKey(failure.account.id) : `address:${failure.ip}`;
}

function accountWindowKey(userId: number): string {
  return `account:${userId}`;
}

/** Counts one failed sign-in; answers the count of its window so far. */
export async function recordSignInFailure(db: Database, failure: SignInFailure): Promise<number> {
  const key = windowKey(failure);
  const reason = `${failure.method}: ${failure.reason}`.slice(0, MAX_REASON_LENGTH);
  const triedEmail = failure.account ? null : (failure.email?.toLowerCase().slice(0, 254) ?? null);
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows = await db.$queryRaw<{ count: number }[]>`
      INSERT INTO "SignInFailureWindow" AS w
        ("key", "startedAt", "endsAt", "count", "lastAt", "userId", "email", "addresses", "emails", "reasons")
      VALUES (
        ${key}, now(), now() + make_interval(secs => ${SIGN_IN_FAILURE_WINDOW_MS / 1000}), 1, now(),
        ${failure.account?.id ?? null}::int, ${failure.account?.email ?? null}::text,
        jsonb_build_array(${failure.ip}::text),
        CASE WHEN ${triedEmail}::text IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(${triedEmail}::text) END,
        jsonb_build_object(${reason}::text, 1))
      ON CONFLICT ("key") DO UPDATE SET
        "count" = w."count" + 1,
        "lastAt" = now(),
        "addresses" = CASE
          WHEN w."addresses" @> jsonb_build_array(${failure.ip}::text) OR jsonb_array_length(w."addresses") >= ${MAX_LISTED}
          THEN w."addresses" ELSE w."addresses" || jsonb_build_array(${failure.ip}::text) END,
        "emails" = CASE
          WHEN ${triedEmail}::text IS NULL OR w."emails" @> jsonb_build_array(${triedEmail}::text)
            OR jsonb_array_length(w."emails") >= ${MAX_LISTED}
          THEN w."emails" ELSE w."emails" || jsonb_build_array(${triedEmail}::text) END,
        "reasons" = CASE
          WHEN w."reasons" -> ${reason}::text IS NOT NULL
            OR (SELECT count(*) FROM jsonb_object_keys(w."reasons")) < ${MAX_LISTED}
          THEN w."reasons" || jsonb_build_object(${reason}::text, coalesce((w."reasons" ->> ${reason}::text)::int, 0) + 1)
          ELSE w."reasons" || jsonb_build_object('other', coalesce((w."reasons" ->> 'other')::int, 0) + 1) END
      -- An ended window waiting for the sweeper takes no more attempts: it is closed below first.
      WHERE w."endsAt" > now()
      RETURNING "count"`;
    const count = rows[0]?.count;
    if (count !== undefined) return count;
    await closeWindows(db, Prisma.sql`"key" = ${key} AND "endsAt" <= now()`, "window ended");
  }
  throw new Error(`sign-in failure window ${key} could not be counted`);
}

/** Every window that has ended (by `asOf`, default the database's now): one audit entry each. */
export async function closeEndedSignInFailureWindows(db: Database, asOf?: Date): Promise<number> {
  const until = asOf ? Prisma.sql`${asOf}::timestamp` : Prisma.sql`now()`;
  return closeWindows(db, Prisma.sql`"endsAt" <= ${until}`, "window ended");
}

/** An account that has just signed in: its failures so far are written before the sign-in entry. */
export async function closeAccountSignInFailures(db: Database, userId: number): Promise<number> {
  return closeWindows(db, Prisma.sql`"key" = ${accountWindowKey(userId)}`, "signed in");
}

interface WindowRow {
  key: string;
  startedAt: Date;
  endsAt: Date;
  count: number;
  lastAt: Date;
  userId: number | null;
  email: string | null;
  addresses: string[];
  emails: string[];
  reasons: Record<string, number>;
}

/**
 * Deletes the windows and appends their summaries in one transaction: two instances closing the
 * same window race on the row lock, and only the one whose DELETE returned it writes the entry.
 */
async function closeWindows(db: Database, where: Prisma.Sql, closedBy: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<WindowRow[]>`
      DELETE FROM "SignInFailureWindow" WHERE ${where}
      RETURNING "key", "startedAt", "endsAt", "count", "lastAt", "userId", "email", "addresses", "emails", "reasons"`;
    rows.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    for (const row of rows) {
      const byAccount = row.userId !== null;
      // Written here rather than through recordAudit: an address window has an address but no actor.
      await tx.auditEvent.create({
        data: {
          actorId: row.userId,
          actorEmail: row.email,
          ip: row.addresses.length === 1 ? (row.addresses[0] ?? null) : null,
          action: "auth.login_failed",
          entityType: "session",
          after: {
            count: row.count,
            per: byAccount ? "account" : "address",
            firstAt: row.startedAt.toISOString(),
            lastAt: row.lastAt.toISOString(),
            closedBy,
            reasons: row.reasons,
            addresses: row.addresses,
            ...(byAccount ? {} : { emails: row.emails }),
          },
        },
      });
    }
    return rows.length;
  });
}
