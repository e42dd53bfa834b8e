import { ProblemError } from "../problem";

/**
 * How far a report's collectedAt may be ahead of this server's clock. Collectors' clocks drift a little;
 * a report from the future would otherwise win every "newest report" comparison for that host until the
 * real time caught up, and rules would judge expiry at a time that has not come yet.
 */
export const MAX_COLLECTED_AT_AHEAD_MS = 5 * 60 * 1000;

/**
 * 422 naming `collectedAt` when the report claims to be from more than 5 minutes in the future, or from a
 * time JavaScript cannot represent (RFC 3339 allows a leap second, 23:59:60, that Date.parse refuses).
 */
export function refuseFutureReport(report: { collectedAt: string }, now = Date.now()): void {
  const collectedAt = Date.parse(report.collectedAt);
  if (Number.isNaN(collectedAt)) {
    const message = "is not a time this server can read; send UTC with seconds 00-59";
    throw new ProblemError(422, "Report does not match the contract", `collectedAt ${message}`, [
      { field: "collectedAt", message },
    ]);
  }
  const ahead = collectedAt - now;
  if (ahead <= MAX_COLLECTED_AT_AHEAD_MS) return;
  const message = `is ${describeAhead(ahead)} ahead of the server clock (at most 5 minutes are allowed); check the collector host's clock`;
  throw new ProblemError(422, "Report from the future", `collectedAt ${message}`, [
    { field: "collectedAt", message },
  ]);
}

/**
 * The time rules judge a report at: its collectedAt, but never later than now. A report up to 5 minutes
 * ahead is accepted; it must not make a certificate that expires in the next minutes look expired already.
 */
export function evaluationTime(collectedAt: Date, now = new Date()): Date {
  return collectedAt.getTime() <= now.getTime() ? collectedAt : now;
}

function describeAhead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}
