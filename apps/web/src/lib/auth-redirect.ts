/**
 * Where to go after signing in. `?next=` comes from the address bar, so anyone can craft it: only
 * same-site paths are followed, never another origin (`//evil.example`, `/\evil.example`,
 * `https://…`), and never back to the sign-in page itself (a loop).
 */
export const LOGIN_PATH = "/login";

export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith("/")) return "/";
  // "//host" and "/\host" are protocol-relative URLs to another site in browsers.
  if (next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Control characters (tabs, newlines) are stripped by URL parsers and can smuggle "//".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting exactly those characters
  if (/[\u0000-\u001f\u007f]/.test(next)) return "/";
  const path = next.split(/[?#]/, 1)[0] ?? "";
  if (path === LOGIN_PATH || path.startsWith(`${LOGIN_PATH}/`)) return "/";
  return next;
}

/** Where a signed-in user changes their password, and where a required change sends them. */
export const PASSWORD_PATH = "/account/password";

/**
 * `/account/password?next=<where the user was>`, for a user who must choose a new password first.
 * Never back to the form itself (a loop).
 */
export function passwordChangeHref(here: string): string {
  const next = safeNext(here);
  const path = next.split(/[?#]/, 1)[0] ?? "";
  return next === "/" || path === PASSWORD_PATH
    ? PASSWORD_PATH
    : `${PASSWORD_PATH}?next=${encodeURIComponent(next)}`;
}

/** `/login?next=<where the user was>`, for a 401 anywhere in the app. */
export function loginHref(pathname: string, search = ""): string {
  const here = `${pathname}${search && !search.startsWith("?") ? `?${search}` : search}`;
  const next = safeNext(here);
  return next === "/" ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(next)}`;
}
