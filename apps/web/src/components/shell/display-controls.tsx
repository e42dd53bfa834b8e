"use client";

import { useEffect, useState } from "react";
import {
  applyScale,
  applyTheme,
  readScale,
  readTheme,
  type ScalePreference,
  type ThemePreference,
} from "@/lib/display";

const NEXT_THEME: Record<ThemePreference, ThemePreference> = {
  system: "light",
  light: "dark",
  dark: "system",
};
const THEME_LABEL: Record<ThemePreference, string> = { system: "Auto", light: "Light", dark: "Dark" };

/** Theme (auto → light → dark) and large type for wall screens; both persist in localStorage. */
export function DisplayControls() {
  // Unknown until mounted: the server cannot see localStorage, and the init script already applied it.
  const [theme, setTheme] = useState<ThemePreference | null>(null);
  const [scale, setScale] = useState<ScalePreference | null>(null);

  useEffect(() => {
    setTheme(readTheme());
    setScale(readScale());
  }, []);

  const cycleTheme = () => {
    const next = NEXT_THEME[theme ?? "system"];
    applyTheme(next);
    setTheme(next);
  };
  const toggleScale = () => {
    const next = scale === "large" ? "normal" : "large";
    applyScale(next);
    setScale(next);
  };

  const current = theme ?? "system";
  return (
    <div className="display-controls">
      <button
        type="button"
        className="tool-button"
        onClick={cycleTheme}
        data-testid="theme-toggle"
        data-theme-choice={current}
        aria-label={`Theme: ${THEME_LABEL[current]}. Switch to ${THEME_LABEL[NEXT_THEME[current]]}`}
      >
        <ThemeIcon theme={current} />
        <span className="tool-label">{THEME_LABEL[current]}</span>
      </button>
      <button
        type="button"
        className="tool-button"
        onClick={toggleScale}
        aria-pressed={scale === "large"}
        data-testid="scale-toggle"
      >
        <span aria-hidden="true" className="tool-glyph">
          A<span className="tool-glyph-big">A</span>
        </span>
        <span className="tool-label">Large type</span>
      </button>
    </div>
  );
}

function ThemeIcon({ theme }: { theme: ThemePreference }) {
  const common = {
    width: 16,
    height: 16,
    viewBox: "0 0 16 16",
    fill: "none",
    stroke: "currentColor",
    strokeWidth: 1.6,
  } as const;
  if (theme === "dark")
    return (
      <svg {...common} aria-hidden="true">
        <path d="M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7Z" />
      </svg>
    );
  if (theme === "light")
    return (
      <svg {...common} aria-hidden="true">
        <circle cx="8" cy="8" r="3" />
        <path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3" />
      </svg>
    );
  return (
    <svg {...common} aria-hidden="true">
      <circle cx="8" cy="8" r="6" />
      <path d="M8 2a6 6 0 0 0 0 12Z" fill="currentColor" />
    </svg>
  );
}
