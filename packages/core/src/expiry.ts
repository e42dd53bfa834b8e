/**
 * Expiry arithmetic. Time always comes in (the report's collectedAt); nothing here reads the clock.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

export type ExpiryBucket = "expired" | "d7" | "d30" | "d60" | "d90" | "later";

export const EXPIRY_BUCKETS: readonly ExpiryBucket[] = ["expired", "d7", "d30", "d60", "d90", "later"];

function toTime(value: Date | string): number {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`invalid date: ${String(value)}`);
  return time;
}

/** True once `now` is past notAfter (RFC 5280: the certificate is valid through notAfter inclusive). */
export function isExpired(notAfter: Date | string, now: Date): boolean {
  return toTime(now) > toTime(notAfter);
}

/**
 * Whole days left until notAfter, rounded down: 6 days 23 hours is 6 days. Negative once expired
 * (an hour past notAfter is -1), so "days left" in messages never overstates the time to act.
 */
export function daysUntil(notAfter: Date | string, now: Date): number {
  return Math.floor((toTime(notAfter) - toTime(now)) / DAY_MS);
}

/** expired, then at most 7 / 30 / 60 / 90 whole days left, else later. */
export function expiryBucket(notAfter: Date | string, now: Date): ExpiryBucket {
  if (isExpired(notAfter, now)) return "expired";
  const days = daysUntil(notAfter, now);
  if (days <= 7) return "d7";
  if (days <= 30) return "d30";
  if (days <= 60) return "d60";
  if (days <= 90) return "d90";
  return "later";
}

/** "2026-11-24" — the date part of an ISO timestamp, for messages. */
export function formatDay(value: Date | string): string {
  return new Date(toTime(value)).toISOString().slice(0, 10);
}

/**
 * The notAfter range [from, to) of a bucket at `now`, for querying: a certificate is in the bucket
 * exactly when from ≤ notAfter < to (null = unbounded). Mirrors expiryBucket(): "at most N whole
 * days left" means notAfter < now + (N + 1) days; expired means notAfter < now.
 */
export function expiryBucketBounds(bucket: ExpiryBucket, now: Date): { from: Date | null; to: Date | null } {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  switch (bucket) {
    case "expired":
      return { from: null, to: now };
    case "d7":
      return { from: now, to: at(8) };
    case "d30":
      return { from: at(8), to: at(31) };
    case "d60":
      return { from: at(31), to: at(61) };
    case "d90":
      return { from: at(61), to: at(91) };
    case "later":
      return { from: at(91), to: null };
  }
}
