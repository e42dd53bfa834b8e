"use client";

import { useEffect, useState } from "react";

/**
 * Copies `text` to the clipboard. The button keeps its name ("Copy" unless told otherwise); the
 * outcome is announced next to it, so screen readers hear it and the name never shifts under a click.
 */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [outcome, setOutcome] = useState<"" | "Copied" | "Copy failed: select the text and copy it">("");

  useEffect(() => {
    if (outcome === "") return;
    const timer = setTimeout(() => setOutcome(""), 4_000);
    return () => clearTimeout(timer);
  }, [outcome]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome("Copied");
    } catch {
      // No clipboard permission (or not a secure context): the text is on screen to copy by hand.
      setOutcome("Copy failed: select the text and copy it");
    }
  };

  return (
    <span className="copy-button">
      <button type="button" className="button button-secondary button-small" onClick={copy}>
        {label}
      </button>
      <span role="status" className="muted small">
        {outcome}
      </span>
    </span>
  );
}
