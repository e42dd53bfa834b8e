import type { Database } from "@certfleet/db";

/**
 * Two sign-in guards beside the per-address window (@fastify/rate-limit on the route):
 *
 * - Per account, whatever the address: after `freeFailures` wrong passwords in a row, each next
 *   attempt must wait 1 s, 2 s, 4 s … up to a minute after the previous failure. Guessing from
 *   many addresses stays slow, yet the owner is never locked out for long: once the wait has
 *   passed the right password works, and a success clears the count. Kept in Postgres
 *   (RateLimitBucket, key `login-account:<email>`) so every API instance applies the same wait;
 *   an hour without failures forgets the count (pruneRateLimitBuckets).
 * - Per process, a cap on password hashes computed at once: argon2 takes ~19 MiB and ~30 ms of a
 *   core each, so a burst of sign-ins must not starve ingest and health. Beyond the cap (and a
 *   short queue) a sign-in is refused at once with 503 and Retry-After.
 */

const MAX_BACKOFF_MS = 60_000;
const FIRST_BACKOFF_MS = 1_000;

function accountKey(email: string): string {
  return `login-account:${email.toLowerCase()}`;
}

/** Milliseconds this account must still wait before its password is checked again (0: go ahead). */
export async function accountWaitMs(db: Database, email: string): Promise<number> {
  const rows = await db.$queryRaw<{ waitMs: number }[]>`
    SELECT greatest(0, ceil(extract(epoch FROM ("resetAt" - now())) * 1000))::int AS "waitMs"
    FROM "RateLimitBucket" WHERE "key" = ${accountKey(email)}`;
  return rows[0]?.waitMs ?? 0;
}

/** Counts a wrong password; answers how long the account must now wait (0 while failures are free). */
export async function recordAccountFailure(
  db: Database,
  email: string,
  freeFailures: number,
): Promise<number> {
  // The count is Postgres's, so racing failures on several instances each get their own number.
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
    VALUES (${accountKey(email)}, 1, now() + make_interval(secs => ${backoffMs(1, freeFailures) / 1000}))
    ON CONFLICT ("key") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
    RETURNING "count"`;
  const count = rows[0]?.count ?? 1;
  const waitMs = backoffMs(count, freeFailures);
  if (count > 1)
    await db.$executeRaw`
      UPDATE "RateLimitBucket" SET "resetAt" = now() + make_interval(secs => ${waitMs / 1000})
      WHERE "key" = ${accountKey(email)}`;
  return waitMs;
}

/** Failure n waits nothing up to `freeFailures`, then 1 s, 2 s, 4 s … capped at a minute. */
export function backoffMs(failures: number, freeFailures: number): number {
  if (failures <= freeFailures) return 0;
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(failures - freeFailures - 1, 30));
}

export async function clearAccountFailures(db: Database, email: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "key" = ${accountKey(email)}`;
}

export class HashCapacityExceeded extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("too many password checks at once");
    this.name = "HashCapacityExceeded";
  }
}

/** A semaphore with a short queue: `run` waits for a slot, or throws HashCapacityExceeded when the queue is full. */
export class PasswordHashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most hashes seen running at once (for tests and the curious). */
  peak = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueued = concurrency * 4,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) throw new HashCapacityExceeded(1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
