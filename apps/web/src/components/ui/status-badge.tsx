import type { HostStatus, Severity } from "@certfleet/contracts";
import { SEVERITY_LABEL, STATUS_LABEL } from "@/lib/format";

/**
 * Status is never colour alone: each badge has a shape (✓ ! ✕) and a word, so it reads in
 * greyscale, to colour-blind operators and to screen readers.
 */
export function StatusBadge({ status, size }: { status: HostStatus | null; size?: "lg" }) {
  const sizeClass = size === "lg" ? " badge-lg" : "";
  if (status === null)
    return (
      <span className={`badge badge-neutral${sizeClass}`} data-status="never">
        <StatusIcon tone="neutral" />
        Not reported
      </span>
    );
  return (
    <span className={`badge badge-${status}${sizeClass}`} data-status={status}>
      <StatusIcon tone={status} />
      {STATUS_LABEL[status]}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  const tone = severity === "info" ? "info" : severity;
  return (
    <span className={`badge badge-${tone}`} data-severity={severity}>
      <StatusIcon tone={tone} />
      {SEVERITY_LABEL[severity]}
    </span>
  );
}

export type IconTone = "ok" | "warning" | "error" | "info" | "neutral";

export function StatusIcon({ tone }: { tone: IconTone }) {
  const path: Record<IconTone, string> = {
    ok: "M4.5 8.2 7 10.6l4.6-5",
    warning: "M8 4.5v4.2M8 11.2v.3",
    error: "M5.4 5.4l5.2 5.2M10.6 5.4l-5.2 5.2",
    info: "M8 7.2v4.3M8 4.8v.3",
    neutral: "M5 8h6",
  };
  return (
    <svg className="status-icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
      <circle cx="8" cy="8" r="7.25" fill="currentColor" opacity="0.16" />
      <path d={path[tone]} fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" />
    </svg>
  );
}
