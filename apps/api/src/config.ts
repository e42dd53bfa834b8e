import { isIPv4, isIPv6 } from "node:net";
import type { DatabaseTimeouts } from "@certfleet/db";

/**
 * Every setting certfleet reads, parsed and checked once at start-up. A wrong value stops the
 * process with a message naming the variable; nothing else in the code reads process.env.
 */
export interface Config {
  /** Unset: start the embedded Postgres under dataDir. */
  databaseUrl: string | null;
  /**
   * MIGRATION_DATABASE_URL: the role that owns the schema and runs migrations, when the app itself
   * (DATABASE_URL) runs as a lesser role that may not alter tables or the audit log.
   */
  migrationDatabaseUrl: string | null;
  /** Address the API binds: loopback unless CERTFLEET_API_HOST says otherwise. */
  apiHost: string;
  /** Address `pnpm start` binds the web app to (CERTFLEET_WEB_HOST); read here for the demo-account check. */
  webHost: string;
  apiPort: number;
  webPort: number;
  dataDir: string;
  embeddedPostgresPort: number;
  databasePoolSize: number;
  /** Pool connect wait and the statement, idle-in-transaction and lock timeouts set on every connection. */
  databaseTimeouts: DatabaseTimeouts;
  /** On SIGTERM/SIGINT: how long in-flight requests may take to finish before the process exits anyway. */
  shutdownGraceMs: number;
  /**
   * Which proxies may set X-Forwarded-For (Fastify trustProxy): false trusts none, a number that
   * many hops, a list those addresses/CIDRs. Sign-in limits key on the address this yields.
   */
  trustProxy: false | number | string[];
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
  /** Run the job queue (scheduled reports, notifications) on this instance. */
  jobs: boolean;
  /**
   * Reports each collector token may submit per minute, counted across every API instance (a batch
   * counts its items), so one busy or runaway collector cannot take the ingest capacity of the others.
   */
  tokenReportsPerMinute: number;
  /**
   * How long a verified collector token is trusted without asking the database again: the bound on how
   * late a revocation takes effect when the change notification does not arrive (0: no cache).
   */
  collectorTokenCacheMs: number;
  /** Live-stream WebSockets one API instance holds at once; more are refused with 503 (each costs memory and a file descriptor). */
  streamMaxConnections: number;
  auth: AuthConfig;
  notifications: NotificationsConfig;
}

/** Where notification e-mail goes out, and what links in messages point at. */
export interface NotificationsConfig {
  /** Null: e-mail channels are refused (webhooks still work). The URL may carry credentials: never log or return it. */
  smtp: { url: string; from: string } | null;
  /** The web app's public address, for links to host pages in messages. */
  publicUrl: string;
  /**
   * CERTFLEET_WEBHOOK_ALLOW: webhook targets allowed although they are local or private (an
   * on-premises chat server), and allowed over plain http. Host names match the URL's host exactly;
   * CIDRs match the address the host name resolves to at connect time.
   */
  webhookAllow: WebhookAllowList;
  /**
   * CERTFLEET_SECRET_KEY: the AES-256-GCM key webhook signing secrets are encrypted with at rest.
   * Null here when unset; on the embedded database a key file in the data dir is used instead.
   */
  secretKey: Buffer | null;
}

export interface WebhookAllowList {
  /** Lower-case host names, without port. */
  hosts: string[];
  /** Address ranges as [address, prefix length, family]. */
  cidrs: { address: string; prefix: number; family: "ipv4" | "ipv6" }[];
}

export interface AuthConfig {
  /** Creates the first admin on a database without users. */
  bootstrapAdmin: { email: string; password: string } | null;
  /** Absolute limit: a session ends this long after sign-in, however busy. */
  sessionHours: number;
  /** Idle limit: a session nobody has used for this long ends (measured to the minute). */
  sessionIdleMinutes: number;
  /** "auto": Secure when the request came over HTTPS (X-Forwarded-Proto behind a proxy). */
  cookieSecure: boolean | "auto";
  /** Sign-in attempts per e-mail and address in 15 minutes, shared by every API instance. */
  loginAttemptsPer15Minutes: number;
  /** Failed sign-ins one account may take (from any address) before each next attempt must wait, doubling up to a minute. */
  loginFailuresBeforeBackoff: number;
  /** Password hashes (argon2, ~19 MiB and ~30 ms each) computed at once; more sign-ins get a quick 503. */
  passwordHashConcurrency: number;
  oidc: OidcConfig | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The public URL of GET /api/v1/auth/oidc/callback, as registered with the identity provider. */
  redirectUri: string;
  /** Role of an account created by its first OIDC sign-in. */
  defaultRole: "viewer" | "operator" | "lead" | "admin";
  /** Shown on the sign-in button. */
  name: string;
  /** Single sign-on starts, and callbacks, allowed per address in 15 minutes (each counted apart), across all API instances. */
  attemptsPer15Minutes: number;
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
  const apiHost = text(env, "CERTFLEET_API_HOST", "127.0.0.1");
  const webHost = text(env, "CERTFLEET_WEB_HOST", "127.0.0.1");
  const seedDemo = boolean(env, "CERTFLEET_SEED_DEMO", databaseUrl === null);
  refuseDemoOffLoopback(seedDemo, { CERTFLEET_API_HOST: apiHost, CERTFLEET_WEB_HOST: webHost });
  return {
    databaseUrl,
    migrationDatabaseUrl: migrationDatabaseUrl(env, databaseUrl),
    apiHost,
    webHost,
    apiPort: integer(env, "API_PORT", 3001, 1, 65535),
    webPort: integer(env, "WEB_PORT", 3000, 1, 65535),
    dataDir: text(env, "CERTFLEET_DATA_DIR", "./.data"),
    embeddedPostgresPort: integer(env, "CERTFLEET_EMBEDDED_PG_PORT", 54329, 1, 65535),
    databasePoolSize: integer(env, "CERTFLEET_DB_POOL_SIZE", 10, 1, 200),
    databaseTimeouts: {
      connectTimeoutMs: integer(env, "CERTFLEET_DB_CONNECT_TIMEOUT_MS", 5_000, 100, 600_000),
      statementTimeoutMs: integer(env, "CERTFLEET_DB_STATEMENT_TIMEOUT_MS", 30_000, 100, 3_600_000),
      idleInTransactionTimeoutMs: integer(
        env,
        "CERTFLEET_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
        60_000,
        1_000,
        3_600_000,
      ),
      lockTimeoutMs: integer(env, "CERTFLEET_DB_LOCK_TIMEOUT_MS", 10_000, 100, 3_600_000),
    },
    shutdownGraceMs: integer(env, "CERTFLEET_SHUTDOWN_GRACE_MS", 10_000, 0, 600_000),
    trustProxy: trustProxy(env, "CERTFLEET_TRUST_PROXY"),
    collectorToken: optionalToken(env, "CERTFLEET_COLLECTOR_TOKEN"),
    expiryWarningDays: integer(env, "CERTFLEET_EXPIRY_WARNING_DAYS", 30, 1, 365),
    silentAfterHours: integer(env, "CERTFLEET_SILENT_AFTER_HOURS", 48, 1, 24 * 90),
    summaryMaxAgeMs: integer(env, "CERTFLEET_SUMMARY_MAX_AGE_MS", 1000, 0, 60_000),
    seedDemo,
    logLevel: oneOf(env, "LOG_LEVEL", "info", ["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    jobs: boolean(env, "CERTFLEET_JOBS", true),
    // At least one full batch (1,000 reports), so every batch fits into an empty window.
    tokenReportsPerMinute: integer(env, "CERTFLEET_TOKEN_REPORTS_PER_MINUTE", 120_000, 1000, 100_000_000),
    collectorTokenCacheMs: 1000 * integer(env, "CERTFLEET_COLLECTOR_TOKEN_CACHE_SECONDS", 5, 0, 60),
    streamMaxConnections: integer(env, "CERTFLEET_STREAM_MAX_CONNECTIONS", 1000, 1, 100_000),
    auth: {
      bootstrapAdmin: bootstrapAdmin(env),
      sessionHours: integer(env, "CERTFLEET_SESSION_HOURS", 12, 1, 24 * 30),
      // At least 5: last activity is recorded to the minute, so a shorter limit would end busy sessions.
      sessionIdleMinutes: integer(env, "CERTFLEET_SESSION_IDLE_MINUTES", 60, 5, 24 * 60 * 30),
      cookieSecure: cookieSecure(env, "CERTFLEET_COOKIE_SECURE"),
      loginAttemptsPer15Minutes: integer(env, "CERTFLEET_LOGIN_ATTEMPTS", 10, 1, 1000),
      loginFailuresBeforeBackoff: integer(env, "CERTFLEET_LOGIN_ACCOUNT_FAILURES", 5, 1, 1000),
      passwordHashConcurrency: integer(env, "CERTFLEET_PASSWORD_HASH_CONCURRENCY", 2, 1, 64),
      oidc: oidc(env),
    },
    notifications: {
      smtp: smtp(env),
      publicUrl: publicUrl(
        env,
        "CERTFLEET_PUBLIC_URL",
        `http://localhost:${integer(env, "WEB_PORT", 3000, 1, 65535)}`,
      ),
      webhookAllow: webhookAllow(env, "CERTFLEET_WEBHOOK_ALLOW"),
      secretKey: secretKey(env, "CERTFLEET_SECRET_KEY"),
    },
  };
}

/** 127.0.0.0/8, ::1 and the name localhost: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  return isIPv4(bare) && bare.startsWith("127.");
}

/**
 * The demo accounts' passwords are published (README, sign-in page): they must never be reachable
 * from another machine. So the demo (which creates them) is refused unless both the API and the web
 * app listen on loopback only; the operator either keeps them there or turns the demo off.
 */
function refuseDemoOffLoopback(seedDemo: boolean, hosts: Record<string, string>): void {
  if (!seedDemo) return;
  for (const [name, host] of Object.entries(hosts)) {
    if (!isLoopbackHost(host))
      throw new ConfigError(
        "CERTFLEET_SEED_DEMO",
        `must be false when ${name} is "${host}" (not loopback): the demo accounts' passwords are published, ` +
          "so they may only be reachable from this machine. Set CERTFLEET_SEED_DEMO=false (and " +
          "CERTFLEET_ADMIN_EMAIL / CERTFLEET_ADMIN_PASSWORD for a first admin), or listen on 127.0.0.1.",
      );
  }
}

/** Only beside DATABASE_URL, and as another role: the point is that the app's role is not the owner. */
function migrationDatabaseUrl(env: Env, databaseUrl: string | null): string | null {
  const url = optionalPostgresUrl(env, "MIGRATION_DATABASE_URL");
  if (url === null) return null;
  if (databaseUrl === null)
    throw new ConfigError(
      "MIGRATION_DATABASE_URL",
      "needs DATABASE_URL (the role the app runs as) beside it",
    );
  const runtimeRole = decodeURIComponent(new URL(databaseUrl).username);
  const migratorRole = decodeURIComponent(new URL(url).username);
  if (!runtimeRole || runtimeRole === migratorRole)
    throw new ConfigError(
      "MIGRATION_DATABASE_URL",
      "must name another database role than DATABASE_URL (the migrator owns the schema, the app's role must not)",
    );
  return url;
}

/** CERTFLEET_SMTP_URL (smtp:// or smtps://, credentials in the URL) and CERTFLEET_SMTP_FROM go together. */
function smtp(env: Env): NotificationsConfig["smtp"] {
  const url = raw(env, "CERTFLEET_SMTP_URL");
  const from = raw(env, "CERTFLEET_SMTP_FROM");
  if (url === undefined && from === undefined) return null;
  if (url === undefined) throw new ConfigError("CERTFLEET_SMTP_URL", "must be set with CERTFLEET_SMTP_FROM");
  if (from === undefined) throw new ConfigError("CERTFLEET_SMTP_FROM", "must be set with CERTFLEET_SMTP_URL");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the value: it may hold the SMTP password.
    throw new ConfigError(
      "CERTFLEET_SMTP_URL",
      "must be a URL such as smtp://user:password@mail.example.com:587",
    );
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:")
    throw new ConfigError("CERTFLEET_SMTP_URL", `must use smtp:// or smtps://, got "${parsed.protocol}"`);
  if (!parsed.hostname) throw new ConfigError("CERTFLEET_SMTP_URL", "must name the mail server's host");
  // "certfleet <certfleet@example.com>" or a bare address.
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address))
    throw new ConfigError("CERTFLEET_SMTP_FROM", `must be an e-mail address, got "${from}"`);
  return { url, from };
}

/**
 * CERTFLEET_WEBHOOK_ALLOW: a comma list of host names (chat.corp.local) and CIDRs (10.20.0.0/16,
 * fd12::/64, or a single address). Everything else that is local, private or link-local is refused.
 */
function webhookAllow(env: Env, name: string): WebhookAllowList {
  const value = raw(env, name);
  const allow: WebhookAllowList = { hosts: [], cidrs: [] };
  if (value === undefined) return allow;
  for (const entry of value.split(",").map((item) => item.trim().toLowerCase())) {
    if (entry === "") continue;
    const cidr = parseCidr(entry);
    if (cidr === "invalid")
      throw new ConfigError(name, `has an invalid CIDR "${entry}" (e.g. 10.20.0.0/16 or fd12::/64)`);
    if (cidr) {
      allow.cidrs.push(cidr);
      continue;
    }
    // A host name: letters, digits, hyphens and dots (a URL's host without port).
    if (
      entry.includes("/") ||
      !/^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(entry)
    )
      throw new ConfigError(name, `must be a comma list of host names and CIDRs, got "${entry}"`);
    allow.hosts.push(entry);
  }
  return allow;
}

/** CERTFLEET_SECRET_KEY: exactly 32 bytes, as 64 hex digits or base64 (never echoed). */
function secretKey(env: Env, name: string): Buffer | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, "hex")
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
      ? Buffer.from(value, "base64")
      : null;
  if (key?.length !== 32)
    throw new ConfigError(
      name,
      "must be 32 random bytes as 64 hex digits or base64 (e.g. the output of `openssl rand -base64 32`)",
    );
  return key;
}

/**
 * CERTFLEET_TRUST_PROXY: unset or "false" trusts no proxy (the socket address counts, whatever
 * X-Forwarded-For says); a whole number trusts that many hops; otherwise a comma list of proxy
 * addresses or CIDRs (10.0.0.0/8, ::1). "true" (trust anyone) is refused: it lets every client
 * choose the address its sign-in attempts are counted under.
 */
type Cidr = WebhookAllowList["cidrs"][number];

/**
 * "10.0.0.0/8", "fd12::/64" or a bare address (a /32 or /128) as its parts; null when `entry` is not an IP
 * address at all (a host name, say), "invalid" when it is one with a prefix that is not 0 to the maximum.
 */
function parseCidr(entry: string): Cidr | null | "invalid" {
  const [address, bits, ...rest] = entry.split("/");
  if (address === undefined || !(isIPv4(address) || isIPv6(address))) return null;
  const family = isIPv4(address) ? "ipv4" : "ipv6";
  const maxBits = family === "ipv4" ? 32 : 128;
  if (rest.length > 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits)))
    return "invalid";
  return { address, prefix: bits === undefined ? maxBits : Number(bits), family };
}

function trustProxy(env: Env, name: string): Config["trustProxy"] {
  const value = raw(env, name);
  if (value === undefined || value.toLowerCase() === "false") return false;
  if (/^\d+$/.test(value)) return integer(env, name, 0, 0, 10) || false;
  const entries = value.split(",").map((entry) => entry.trim());
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr === null || cidr === "invalid")
      throw new ConfigError(
        name,
        `must be a number of proxy hops or a comma list of proxy addresses/CIDRs (e.g. 10.0.0.0/8), got "${entry}"`,
      );
  }
  return entries;
}

function publicUrl(env: Env, name: string, fallback: string): string {
  if (raw(env, name) === undefined) return fallback;
  httpUrl(env, name);
  return (raw(env, name) as string).replace(/\/+$/, "");
}

function bootstrapAdmin(env: Env): AuthConfig["bootstrapAdmin"] {
  const email = raw(env, "CERTFLEET_ADMIN_EMAIL");
  const password = raw(env, "CERTFLEET_ADMIN_PASSWORD");
  if (email === undefined && password === undefined) return null;
  if (email === undefined)
    throw new ConfigError("CERTFLEET_ADMIN_EMAIL", "must be set with CERTFLEET_ADMIN_PASSWORD");
  if (password === undefined)
    throw new ConfigError("CERTFLEET_ADMIN_PASSWORD", "must be set with CERTFLEET_ADMIN_EMAIL");
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new ConfigError("CERTFLEET_ADMIN_EMAIL", `must be an e-mail address, got "${email}"`);
  if (password.length < 12)
    throw new ConfigError(
      "CERTFLEET_ADMIN_PASSWORD",
      `must be at least 12 characters, got ${password.length}`,
    );
  return { email: email.toLowerCase(), password };
}

function cookieSecure(env: Env, name: string): boolean | "auto" {
  const value = oneOf(env, name, "auto", ["auto", "true", "false"]);
  return value === "auto" ? "auto" : value === "true";
}

const OIDC_SETTINGS = [
  "CERTFLEET_OIDC_ISSUER",
  "CERTFLEET_OIDC_CLIENT_ID",
  "CERTFLEET_OIDC_CLIENT_SECRET",
  "CERTFLEET_OIDC_REDIRECT_URI",
] as const;

/** OIDC is on when its issuer is set; then client id, secret and redirect URI are required too. */
function oidc(env: Env): OidcConfig | null {
  const issuer = raw(env, "CERTFLEET_OIDC_ISSUER");
  if (issuer === undefined) {
    const stray = OIDC_SETTINGS.find((name) => raw(env, name) !== undefined);
    if (stray) throw new ConfigError(stray, "is set but CERTFLEET_OIDC_ISSUER is not");
    return null;
  }
  const missing = OIDC_SETTINGS.find((name) => raw(env, name) === undefined);
  if (missing) throw new ConfigError(missing, "must be set when CERTFLEET_OIDC_ISSUER is set");
  httpUrl(env, "CERTFLEET_OIDC_ISSUER");
  httpUrl(env, "CERTFLEET_OIDC_REDIRECT_URI");
  return {
    issuer,
    clientId: raw(env, "CERTFLEET_OIDC_CLIENT_ID") as string,
    clientSecret: raw(env, "CERTFLEET_OIDC_CLIENT_SECRET") as string,
    redirectUri: raw(env, "CERTFLEET_OIDC_REDIRECT_URI") as string,
    defaultRole: oneOf(env, "CERTFLEET_OIDC_DEFAULT_ROLE", "viewer", ["viewer", "operator", "lead", "admin"]),
    name: text(env, "CERTFLEET_OIDC_NAME", "Single sign-on"),
    // Per address, not per person: generous, as a whole office may sign in through one NAT address.
    attemptsPer15Minutes: integer(env, "CERTFLEET_OIDC_ATTEMPTS", 120, 1, 100_000),
  };
}

function httpUrl(env: Env, name: string): void {
  const value = raw(env, name) ?? "";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ConfigError(name, `must be an http(s) URL, got "${value}"`);
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
