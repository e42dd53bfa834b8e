import type { Database } from "@certfleet/db";

/**
 * A per-token budget of reports per minute in Postgres (the RateLimitBucket table the sign-in limit
 * uses), so it holds across every API instance. One atomic statement per request: it adds the request's
 * reports to the token's current window only when they fit, so a refused request spends nothing and a
 * token's budget is never eaten by requests it was refused. Fixed one-minute windows.
 */
const WINDOW_SECONDS = 60;

export type BudgetAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function tokenBucketKey(tokenId: number): string {
  return `collector-token:${tokenId}`;
}

export async function takeReportBudget(
  db: Database,
  tokenId: number,
  reports: number,
  perMinute: number,
): Promise<BudgetAnswer> {
  const key = tokenBucketKey(tokenId);
  const taken = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
    VALUES (${key}, ${reports}, now() + ${WINDOW_SECONDS} * interval '1 second')
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN EXCLUDED."count"
                     ELSE "RateLimitBucket"."count" + EXCLUDED."count" END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN EXCLUDED."resetAt"
                       ELSE "RateLimitBucket"."resetAt" END
    WHERE "RateLimitBucket"."resetAt" <= now() OR "RateLimitBucket"."count" + EXCLUDED."count" <= ${perMinute}
    RETURNING "count"`;
  if (taken.length > 0) return { allowed: true };
  const [bucket] = await db.$queryRaw<{ retryAfter: number }[]>`
    SELECT GREATEST(1, CEIL(EXTRACT(EPOCH FROM ("resetAt" - now()))))::int AS "retryAfter"
    FROM "RateLimitBucket" WHERE "key" = ${key}`;
  return { allowed: false, retryAfterSeconds: bucket?.retryAfter ?? 1 };
}
