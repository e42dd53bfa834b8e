/**
 * Every setting certfleet reads, parsed and checked once at start-up. A wrong value stops the
 * process with a message naming the variable; nothing else in the code reads process.env.
 */
export interface Config {
  /** Unset: start the embedded Postgres under dataDir. */
  databaseUrl: string | null;
  apiHost: string;
  apiPort: number;
  webPort: number;
  dataDir: string;
  embeddedPostgresPort: number;
  databasePoolSize: number;
  /** Seeded as a collector token at start-up (stored hashed). */
  collectorToken: string | null;
  expiryWarningDays: number;
  /** A host whose newest report is older than this is "silent" (not reporting). */
  silentAfterHours: number;
  /** How old a served estate summary may be: one computation (~0.4 s at 200k hosts) serves every caller meanwhile. */
  summaryMaxAgeMs: number;
  /** Load the demo estate at start-up (default: on for the embedded database, off with DATABASE_URL). */
  seedDemo: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting} ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = optionalPostgresUrl(env, "DATABASE_URL");
  return {
    databaseUrl,
    apiHost: text(env, "CERTFLEET_API_HOST", "127.0.0.1"),
    apiPort: integer(env, "API_PORT", 3001, 1, 65535),
    webPort: integer(env, "WEB_PORT", 3000, 1, 65535),
    dataDir: text(env, "CERTFLEET_DATA_DIR", "./.data"),
    embeddedPostgresPort: integer(env, "CERTFLEET_EMBEDDED_PG_PORT", 54329, 1, 65535),
    databasePoolSize: integer(env, "CERTFLEET_DB_POOL_SIZE", 10, 1, 200),
    collectorToken: optionalToken(env, "CERTFLEET_COLLECTOR_TOKEN"),
    expiryWarningDays: integer(env, "CERTFLEET_EXPIRY_WARNING_DAYS", 30, 1, 365),
    silentAfterHours: integer(env, "CERTFLEET_SILENT_AFTER_HOURS", 48, 1, 24 * 90),
    summaryMaxAgeMs: integer(env, "CERTFLEET_SUMMARY_MAX_AGE_MS", 1000, 0, 60_000),
    seedDemo: boolean(env, "CERTFLEET_SEED_DEMO", databaseUrl === null),
    logLevel: oneOf(env, "LOG_LEVEL", "info", ["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  };
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === "" ? undefined : value;
}

function text(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(name, `must be a whole number, got "${value}"`);
  const parsed = Number(value);
  if (parsed < min || parsed > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${parsed}`);
  return parsed;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (["true", "1", "yes", "on"].includes(value)) return true;
  if (["false", "0", "no", "off"].includes(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}

function optionalPostgresUrl(env: Env, name: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, "must be a URL such as postgresql://user:password@host:5432/certfleet");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(name, `must use the postgresql:// scheme, got "${url.protocol}"`);
  }
  if (url.pathname.length <= 1) throw new ConfigError(name, "must name a database (…/certfleet)");
  return value;
}

function optionalToken(env: Env, name: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  // Collector tokens guard the only write path machines use: insist on real entropy.
  if (value.length < 32) throw new ConfigError(name, `must be at least 32 characters, got ${value.length}`);
  return value;
}
