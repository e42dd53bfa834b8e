const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The origins whose pages may open the live stream: the web app's public address
 * (CERTFLEET_PUBLIC_URL). When that address is itself on this machine (the default,
 * http://localhost:<WEB_PORT>), the same web app reached as 127.0.0.1 or [::1] counts too: a
 * browser on this machine may use either name, and no other site can serve a page from those origins.
 */
export function allowedStreamOrigins(publicUrl: string): Set<string> {
  const url = new URL(publicUrl);
  const origins = new Set([url.origin]);
  if (LOOPBACK_HOSTS.has(url.hostname)) {
    const port = url.port ? `:${url.port}` : "";
    for (const host of LOOPBACK_HOSTS) origins.add(`${url.protocol}//${host}${port}`);
  }
  return origins;
}

/**
 * Whether an upgrade may proceed. Browsers always send Origin on a WebSocket handshake, so a
 * request without one is not a page (a script, a monitoring probe): it is let through, since it
 * still needs a session cookie it can only have been given, and cross-site WebSocket hijacking
 * needs a browser. A present Origin (including "null" from sandboxed frames and file://) must be
 * one of the allowed origins.
 */
export function streamOriginAllowed(origin: string | undefined, allowed: Set<string>): boolean {
  if (origin === undefined) return true;
  let normalised: string;
  try {
    normalised = new URL(origin).origin;
  } catch {
    return false;
  }
  return normalised !== "null" && allowed.has(normalised);
}
