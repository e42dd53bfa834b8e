import type { FastifyRequest, FastifyServerOptions } from "fastify";

/**
 * What the API's logs must never hold: credentials that arrive in headers, cookies that are
 * sessions, and any field of a logged object named like a secret. Pino replaces each with
 * "[redacted]" before the line is written, whatever the log level. Paths are pino's (fast-redact)
 * syntax: `*` is one level of any key, so the list names the depths certfleet logs at.
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-csrf-token']",
  "req.headers['proxy-authorization']",
  "res.headers['set-cookie']",
  "headers.authorization",
  "headers.cookie",
  "headers['set-cookie']",
  ...secretFieldPaths(["password", "newPassword", "currentPassword", "token", "secret", "clientSecret"]),
  // Not "code" or "state": errors carry a harmless `code` (P2002, ECONNREFUSED) worth reading. The
  // OIDC callback's code and state only ever arrive in its query, which loggedUrl drops.
  ...secretFieldPaths(["codeVerifier", "accessToken", "idToken", "refreshToken"]),
  ...secretFieldPaths(["cookie", "authorization", "smtpUrl", "signingSecret", "webhookSecret"]),
];

/** `name`, `*.name` and `*.*.name`: a secret logged as a field, inside a body, or one object deeper. */
function secretFieldPaths(names: string[]): string[] {
  return names.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);
}

/**
 * Sign-in routes carry one-time secrets in their query (the OIDC callback's `code` and `state`,
 * error descriptions an identity provider fills in): their URLs are logged without the query.
 */
const QUERY_NEVER_LOGGED = /^\/api\/v1\/auth(\/|\?|$)/;

/** The URL as logged: the path, and the query only outside the sign-in routes. */
export function loggedUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart < 0) return url;
  const path = url.slice(0, queryStart);
  return QUERY_NEVER_LOGGED.test(path) ? path : url;
}

type LoggerOptions = Exclude<NonNullable<FastifyServerOptions["logger"]>, boolean>;

/**
 * Adds the redaction and the request serializer to the logger options the caller chose (level,
 * destination stream). Fastify's own request serializer logs the full URL, query included.
 */
export function withLogRedaction(options: LoggerOptions): LoggerOptions {
  return {
    ...options,
    redact: { paths: [...REDACTED_LOG_PATHS], censor: "[redacted]" },
    serializers: {
      ...(options.serializers ?? {}),
      // Anything else logged under `req` (a plain object) is left to the redaction paths.
      req: (request: FastifyRequest) =>
        typeof request?.url !== "string"
          ? (request as unknown as Record<string, unknown>)
          : {
              method: request.method,
              url: loggedUrl(request.url),
              host: request.hostname,
              remoteAddress: request.ip,
              remotePort: request.socket?.remotePort,
            },
    },
  };
}
