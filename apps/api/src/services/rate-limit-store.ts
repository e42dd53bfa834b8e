import type { Database } from "@certfleet/db";
import type { RateLimitPluginOptions } from "@fastify/rate-limit";
import { ProblemError } from "../problem";

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store in Postgres, so a limit holds across every API instance behind the
 * load balancer (an in-memory store would give an attacker N times the attempts). Fixed windows:
 * one upsert per counted request, used only on sign-in, where a few milliseconds do not matter.
 */
export function postgresRateLimitStore(db: Database) {
  return class PostgresRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      db.$queryRaw<{ count: number; resetAt: Date }[]>`
        INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
        VALUES (${key}, 1, now() + ${timeWindow} * interval '1 millisecond')
        ON CONFLICT ("key") DO UPDATE SET
          "count" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
          "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimitBucket"."resetAt" END
        RETURNING "count", "resetAt"`
        .then(([row]) => {
          if (!row) return callback(new Error("rate limit upsert returned no row"));
          callback(null, { current: row.count, ttl: Math.max(0, row.resetAt.getTime() - Date.now()) });
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    }

    child(): PostgresRateLimitStore {
      return new PostgresRateLimitStore();
    }
  };
}

/** Old windows are dead weight; any instance may sweep them. */
export async function pruneRateLimitBuckets(db: Database): Promise<void> {
  await db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "resetAt" < now() - interval '1 hour'`;
}

export async function clearRateLimit(db: Database, key: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "key" = ${key}`;
}

/**
 * @fastify/rate-limit options for limits shared by every API instance (this store), off unless a route
 * asks for one (`config.rateLimit`), answering 429 problem+json whose detail says how long to wait.
 */
export function sharedRateLimit(
  db: Database,
  title: string,
  detail: (waitMinutes: number) => string,
): RateLimitPluginOptions {
  return {
    global: false,
    store: postgresRateLimitStore(db),
    errorResponseBuilder: (_request, context) =>
      new ProblemError(429, title, detail(Math.ceil(context.ttl / 60_000))),
  };
}
