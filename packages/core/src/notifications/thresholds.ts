/** Expiry warning thresholds (days before notAfter) an admin may configure. */
export const DEFAULT_NOTIFICATION_THRESHOLDS: readonly number[] = [30, 14, 7, 1];
export const MAX_NOTIFICATION_THRESHOLDS = 8;
export const MIN_THRESHOLD_DAYS = 1;
export const MAX_THRESHOLD_DAYS = 365;

export type ThresholdCheck = { ok: true; thresholds: number[] } | { ok: false; message: string };

/**
 * Admin input → thresholds in the one order everything else assumes (largest first). Refuses
 * rather than repairs: a duplicate or out-of-range number is a typo the admin should see.
 */
export function checkThresholds(values: readonly number[]): ThresholdCheck {
  if (values.length === 0) return { ok: false, message: "must list at least one number of days" };
  if (values.length > MAX_NOTIFICATION_THRESHOLDS)
    return { ok: false, message: `must list at most ${MAX_NOTIFICATION_THRESHOLDS} numbers of days` };
  const outOfRange = values.find(
    (days) => !Number.isInteger(days) || days < MIN_THRESHOLD_DAYS || days > MAX_THRESHOLD_DAYS,
  );
  if (outOfRange !== undefined)
    return {
      ok: false,
      message: `must be whole days from ${MIN_THRESHOLD_DAYS} to ${MAX_THRESHOLD_DAYS}, got ${outOfRange}`,
    };
  const duplicate = values.find((days, index) => values.indexOf(days) !== index);
  if (duplicate !== undefined) return { ok: false, message: `lists ${duplicate} twice` };
  return { ok: true, thresholds: [...values].sort((a, b) => b - a) };
}

/** A stored value, or the defaults when unset or invalid (never trust a JSON column blindly). */
export function thresholdsFrom(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((days) => typeof days === "number")) {
    return [...DEFAULT_NOTIFICATION_THRESHOLDS];
  }
  const check = checkThresholds(value);
  return check.ok ? check.thresholds : [...DEFAULT_NOTIFICATION_THRESHOLDS];
}
