import type { Database } from "@certfleet/db";

/**
 * A per-token budget of reports per minute in Postgres, so it holds across every API instance. One
 * atomic statement per request: it adds the request's reports to the token's current window only when
 * they fit, so a refused request spends nothing. Fixed one-minute windows. The table is UNLOGGED (see
 * the CollectorTokenBudget model): this runs on every report, and a WAL flush per report cost ~4 ms.
 */
const WINDOW_SECONDS = 60;

export type BudgetAnswer =
  | { allowed: true; windowEndsInMs: number }
  | { allowed: false; retryAfterSeconds: number };

export async function takeReportBudget(
  db: Database,
  tokenId: number,
  reports: number,
  perMinute: number,
): Promise<BudgetAnswer> {
  const taken = await db.$queryRaw<{ msLeft: number }[]>`
    INSERT INTO "CollectorTokenBudget" ("tokenId", "count", "resetAt")
    VALUES (${tokenId}::int, ${reports}::int, now() + ${WINDOW_SECONDS} * interval '1 second')
    ON CONFLICT ("tokenId") DO UPDATE SET
      "count" = CASE WHEN "CollectorTokenBudget"."resetAt" <= now() THEN EXCLUDED."count"
                     ELSE "CollectorTokenBudget"."count" + EXCLUDED."count" END,
      "resetAt" = CASE WHEN "CollectorTokenBudget"."resetAt" <= now() THEN EXCLUDED."resetAt"
                       ELSE "CollectorTokenBudget"."resetAt" END
    WHERE "CollectorTokenBudget"."resetAt" <= now()
       OR "CollectorTokenBudget"."count" + EXCLUDED."count" <= ${perMinute}::int
    RETURNING (EXTRACT(EPOCH FROM ("resetAt" - now())) * 1000)::int AS "msLeft"`;
  const [window] = taken;
  if (window) return { allowed: true, windowEndsInMs: window.msLeft };
  const [bucket] = await db.$queryRaw<{ retryAfter: number }[]>`
    SELECT GREATEST(1, CEIL(EXTRACT(EPOCH FROM ("resetAt" - now()))))::int AS "retryAfter"
    FROM "CollectorTokenBudget" WHERE "tokenId" = ${tokenId}::int`;
  return { allowed: false, retryAfterSeconds: bucket?.retryAfter ?? 1 };
}
