"use client";

import { useState } from "react";

/**
 * A destructive action behind a second click: "Revoke" becomes a warning with "Confirm revoke" and
 * "Keep", so a stray click never deletes anything.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  warning,
  pending,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  /** What happens, in a few words ("Collectors using it stop reporting."). */
  warning: string;
  pending: boolean;
  onConfirm: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => setConfirming(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <span className="small">{warning}</span>
      <button
        type="button"
        className="button button-danger button-small"
        disabled={pending}
        onClick={onConfirm}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button-ghost button-small" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}
