import type { ExpiryFilter, HostRole, HostStatus, ReportingState, Severity } from "@certfleet/contracts";

/** Labels and formatting shared by every page, so the same thing is always called the same. */

export const STATUS_LABEL: Record<HostStatus, string> = { ok: "OK", warning: "Warning", error: "Error" };

export const SEVERITY_LABEL: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Info" };

export const ROLE_LABEL: Record<HostRole, string> = {
  ManagementServer: "Management server",
  Gateway: "Gateway",
  Agent: "Agent",
};

export const ROLE_SHORT: Record<HostRole, string> = {
  ManagementServer: "MS",
  Gateway: "GW",
  Agent: "Agent",
};

export const EXPIRY_LABEL: Record<ExpiryFilter, string> = {
  expired: "Expired",
  d7: "≤ 7 days",
  d30: "8–30 days",
  d60: "31–60 days",
  d90: "61–90 days",
  later: "> 90 days",
  none: "No certificate",
};

/** The host list's authentication filter (hosts using Kerberos, or the others). */
export const AUTHENTICATION_LABEL: Record<"kerberos" | "certificate", string> = {
  kerberos: "Uses Kerberos",
  certificate: "Certificate",
};

export const REPORTING_LABEL: Record<ReportingState, string> = {
  reporting: "Reporting",
  silent: "Silent",
  never: "Never reported",
};

/** Tone of an expiry bucket: the colour its number is drawn in. */
export type Tone = "error" | "warning" | "ok" | "neutral";
export const EXPIRY_TONE: Record<ExpiryFilter, Tone> = {
  expired: "error",
  d7: "error",
  d30: "warning",
  d60: "warning",
  d90: "ok",
  later: "ok",
  none: "neutral",
};

/** Tone for a number of days left, matching the expiry buckets. */
export function daysLeftTone(daysLeft: number | null | undefined): Tone {
  if (daysLeft === null || daysLeft === undefined) return "neutral";
  if (daysLeft <= 7) return "error";
  if (daysLeft <= 60) return "warning";
  return "ok";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/**
 * "24 Nov 2026" in the viewer's time zone. Day-month-year with a month name never reads
 * ambiguously in an international team (built by hand: Intl's en-GB says "Sept").
 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return `${formatDate(iso)}, ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** API messages are clauses ("the certificate expired …"); shown on their own they start a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatDaysLeft(daysLeft: number): string {
  if (daysLeft < 0) return `expired ${-daysLeft} d ago`;
  if (daysLeft === 0) return "expires today";
  return `${daysLeft} d left`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "3 hours ago"; "just now" under a minute. `now` is passed so a whole table uses one clock. */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return "never";
  const delta = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return relative.format(Math.round(delta / ms), unit);
  }
  return "just now";
}

const numberFormat = new Intl.NumberFormat("en-US");
export const formatCount = (n: number) => numberFormat.format(n);

/** Hex bytes ("0A1B2C") as pairs, for display that shows the byte order. */
export function hexBytes(hex: string): string[] {
  const clean = hex.replace(/[^0-9a-fA-F]/g, "").toUpperCase();
  const padded = clean.length % 2 === 1 ? `0${clean}` : clean;
  return padded.match(/../g) ?? [];
}

/** The label for a summary key (a string the API sends), falling back to the key itself. */
export function labelFor<K extends string>(labels: Record<K, string>, key: string | null): string {
  if (key === null) return "—";
  return Object.hasOwn(labels, key) ? labels[key as K] : key;
}

/** "<1%" rather than a misleading "0%" for a handful of hosts in a large estate. */
export function percent(count: number, total: number): string {
  const share = (count / total) * 100;
  return count > 0 && share < 1 ? "<1%" : `${Math.round(share)}%`;
}
