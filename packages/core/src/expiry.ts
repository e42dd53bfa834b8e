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
