/**
 * Display preferences kept in localStorage and applied as attributes on <html>:
 * - data-theme="light|dark" overrides prefers-color-scheme (absent = follow the system);
 * - data-scale="large" enlarges the type for wall screens.
 * CSS does the rest (globals.css), so the preference works before React has loaded.
 */
export type ThemePreference = "system" | "light" | "dark";
export type ScalePreference = "normal" | "large";

export const THEME_KEY = "certfleet.theme";
export const SCALE_KEY = "certfleet.scale";

export const DISPLAY_INIT_SCRIPT = `try{var d=document.documentElement,t=localStorage.getItem("${THEME_KEY}"),s=localStorage.getItem("${SCALE_KEY}");if(t==="light"||t==="dark")d.dataset.theme=t;if(s==="large")d.dataset.scale=s}catch(e){}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: preferences just do not persist
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: the choice still applies to this page
  }
}

export function readTheme(): ThemePreference {
  const value = read(THEME_KEY);
  return value === "light" || value === "dark" ? value : "system";
}

export function applyTheme(theme: ThemePreference): void {
  const root = document.documentElement;
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
  write(THEME_KEY, theme === "system" ? null : theme);
}

export function readScale(): ScalePreference {
  return read(SCALE_KEY) === "large" ? "large" : "normal";
}

export function applyScale(scale: ScalePreference): void {
  const root = document.documentElement;
  if (scale === "large") root.dataset.scale = "large";
  else delete root.dataset.scale;
  write(SCALE_KEY, scale === "large" ? "large" : null);
}
