import { daysUntil, isExpired } from "../expiry";

/** A certificate some host is bound to right now (a replaced certificate is simply not in the list). */
export interface BoundCertificate {
  hostFqdn: string;
  role: string;
  certificateSha256: string;
  serialNumber: string;
  notAfter: Date;
}

/** One expiry warning to send: this certificate has crossed `thresholdDays`. */
export interface DueExpiry {
  certificate: BoundCertificate;
  thresholdDays: number;
  /** Whole days left (negative once expired). */
  daysLeft: number;
  expired: boolean;
  /** Larger thresholds crossed at the same time: this one message stands for them too. */
  covers: number[];
}

/**
 * The threshold a certificate is at: the smallest T with daysLeft ≤ T; an expired certificate is
 * at the smallest threshold of all. Null while it is outside every threshold.
 * `thresholds` must be sorted largest first (checkThresholds does).
 */
export function crossedThreshold(notAfter: Date, now: Date, thresholds: readonly number[]): number | null {
  const smallest = thresholds.at(-1);
  if (smallest === undefined) return null;
  if (isExpired(notAfter, now)) return smallest;
  const daysLeft = daysUntil(notAfter, now);
  let crossed: number | null = null;
  for (const threshold of thresholds) if (daysLeft <= threshold) crossed = threshold;
  return crossed;
}

/**
 * Which certificates are due a warning, for one channel.
 *
 * `sent` holds, per certificate, the thresholds this channel was already notified for. A certificate
 * is due at its current threshold T unless something at or below T was sent: a warning at 14 days
 * covers 30 too, so a certificate that crossed 30 and 14 between two runs gets one message (14) and
 * 30 never fires later. Thresholds only move downwards as time passes, so this is "once per
 * certificate per threshold", and a replaced certificate — no longer bound, so not in
 * `certificates` — is silent.
 */
export function dueExpiryNotifications(
  certificates: readonly BoundCertificate[],
  thresholds: readonly number[],
  now: Date,
  sent: ReadonlyMap<string, readonly number[]>,
): DueExpiry[] {
  const due: DueExpiry[] = [];
  for (const certificate of certificates) {
    const threshold = crossedThreshold(certificate.notAfter, now, thresholds);
    if (threshold === null) continue;
    const already = sent.get(certificate.certificateSha256) ?? [];
    if (already.some((days) => days <= threshold)) continue;
    due.push({
      certificate,
      thresholdDays: threshold,
      daysLeft: daysUntil(certificate.notAfter, now),
      expired: isExpired(certificate.notAfter, now),
      covers: thresholds.filter((days) => days > threshold && !already.includes(days)),
    });
  }
  return due;
}
