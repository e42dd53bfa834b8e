/**
 * Recognises the failures that mean "the database cannot serve this right now" — down,
 * restarting, out of connections, or a statement/lock wait cut short by our own timeouts — so
 * the API answers 503 with Retry-After (the caller should simply try again) instead of 500 (a
 * bug). The error may come from pg directly, from the Prisma pg adapter (a DriverAdapterError
 * whose `cause` has a `kind` and the Postgres code) or from Prisma itself (P-codes), possibly
 * wrapped in `cause` chains, so every layer is inspected.
 */
export interface DatabaseUnavailable {
  /** For the log: what kind of unavailability this was. */
  reason: string;
  /** Seconds the caller should wait before retrying. */
  retryAfterSeconds: number;
}

/** Postgres SQLSTATEs: the server is going away or refusing connections. */
const UNAVAILABLE_SQLSTATES: Record<string, string> = {
  "57P01": "database restarting (admin_shutdown)",
  "57P02": "database restarting (crash_shutdown)",
  "57P03": "database starting up or shutting down (cannot_connect_now)",
  "53300": "too many database connections",
  "53000": "database out of resources",
  "08000": "database connection lost",
  "08003": "database connection lost",
  "08006": "database connection lost",
  "08001": "database unreachable",
  "08004": "database refused the connection",
};
/** Our own timeouts: the work was cut short, not wrong; a retry usually succeeds. */
const TIMEOUT_SQLSTATES: Record<string, string> = {
  "57014": "statement timed out (statement_timeout)",
  "55P03": "lock wait timed out (lock_timeout)",
  "25P03": "transaction idle too long (idle_in_transaction_session_timeout)",
};
/** Prisma error codes for the same situations. */
const PRISMA_CODES: Record<string, string> = {
  P1001: "database unreachable",
  P1002: "database timed out",
  P1008: "database operation timed out",
  P1017: "database closed the connection",
  P2024: "timed out waiting for a pooled connection",
  P2028: "transaction could not start or finish in time",
  P2037: "too many database connections",
};
/** Socket errors from node:net while talking to Postgres. */
const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: "database refused the connection",
  ECONNRESET: "database connection reset",
  ETIMEDOUT: "database connection timed out",
  EPIPE: "database connection lost",
  ENOTFOUND: "database host not found",
  EHOSTUNREACH: "database host unreachable",
  ENETUNREACH: "database network unreachable",
};
/** Driver adapter error kinds (@prisma/driver-adapter-utils) for the same situations. */
const ADAPTER_KINDS: Record<string, string> = {
  DatabaseNotReachable: "database unreachable",
  ConnectionClosed: "database closed the connection",
  SocketTimeout: "database connection timed out",
  TooManyConnections: "too many database connections",
};
/** pg and pg-pool raise these as plain Errors without a code. */
const MESSAGES: [RegExp, string][] = [
  [/Connection terminated due to connection timeout/i, "timed out connecting to the database"],
  [/Connection terminated/i, "database connection terminated"],
  [/timeout exceeded when trying to connect/i, "timed out waiting for a database connection"],
  [/Client has encountered a connection error/i, "database connection lost"],
  [/Client was closed and is not queryable/i, "database connection lost"],
  [/the database system is (starting up|shutting down|in recovery mode)/i, "database restarting"],
  [/terminating connection due to administrator command/i, "database restarting"],
  [/Can't reach database server/i, "database unreachable"],
  [/Cannot use a pool after calling end on the pool/i, "database client shutting down"],
];

const CONNECTION_RETRY_SECONDS = 5;
const TIMEOUT_RETRY_SECONDS = 2;

export function databaseUnavailable(error: unknown): DatabaseUnavailable | null {
  for (const layer of layers(error)) {
    const found = classifyLayer(layer);
    if (found) return found;
  }
  return null;
}

function classifyLayer(layer: Record<string, unknown>): DatabaseUnavailable | null {
  const code = typeof layer.code === "string" ? layer.code : undefined;
  const originalCode = typeof layer.originalCode === "string" ? layer.originalCode : undefined;
  for (const sqlstate of [code, originalCode]) {
    if (sqlstate === undefined) continue;
    const timeout = TIMEOUT_SQLSTATES[sqlstate];
    if (timeout) return { reason: timeout, retryAfterSeconds: TIMEOUT_RETRY_SECONDS };
    const reason = UNAVAILABLE_SQLSTATES[sqlstate] ?? PRISMA_CODES[sqlstate] ?? SOCKET_CODES[sqlstate];
    if (reason) return { reason, retryAfterSeconds: CONNECTION_RETRY_SECONDS };
  }
  const kind = typeof layer.kind === "string" ? ADAPTER_KINDS[layer.kind] : undefined;
  if (kind) return { reason: kind, retryAfterSeconds: CONNECTION_RETRY_SECONDS };
  const message = typeof layer.message === "string" ? layer.message : undefined;
  if (message) {
    for (const [pattern, reason] of MESSAGES)
      if (pattern.test(message)) return { reason, retryAfterSeconds: CONNECTION_RETRY_SECONDS };
  }
  return null;
}

/** The error and everything it wraps (cause, Prisma meta, adapter cause, aggregate members), at most 20 layers. */
function layers(error: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  while (queue.length > 0 && found.length < 20) {
    const current = queue.shift();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    const layer = current as Record<string, unknown>;
    found.push(layer);
    queue.push(layer.cause, layer.meta, layer.driverAdapterError, layer.originalError);
    if (Array.isArray(layer.errors)) queue.push(...layer.errors);
  }
  return found;
}
