import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("loadConfig", () => {
  it("has working defaults for the embedded quick start", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: null,
      apiPort: 3001,
      webPort: 3000,
      dataDir: "./.data",
      expiryWarningDays: 30,
      collectorToken: null,
      seedDemo: true,
      silentAfterHours: 48,
    });
  });

  it("loads the demo estate by default only on the embedded database", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://db/certfleet" }).seedDemo).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: "postgresql://db/certfleet", CERTFLEET_SEED_DEMO: "true" }).seedDemo,
    ).toBe(true);
    expect(loadConfig({ CERTFLEET_SEED_DEMO: "false" }).seedDemo).toBe(false);
  });

  it.each([
    [{ API_PORT: "http" }, "API_PORT"],
    [{ API_PORT: "70000" }, "API_PORT"],
    [{ CERTFLEET_EXPIRY_WARNING_DAYS: "0" }, "CERTFLEET_EXPIRY_WARNING_DAYS"],
    [{ CERTFLEET_EXPIRY_WARNING_DAYS: "-3" }, "CERTFLEET_EXPIRY_WARNING_DAYS"],
    [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgresql://localhost" }, "DATABASE_URL"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ CERTFLEET_COLLECTOR_TOKEN: "short" }, "CERTFLEET_COLLECTOR_TOKEN"],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    [{ CERTFLEET_SEED_DEMO: "maybe" }, "CERTFLEET_SEED_DEMO"],
    [{ CERTFLEET_SILENT_AFTER_HOURS: "0" }, "CERTFLEET_SILENT_AFTER_HOURS"],
    [{ MIGRATION_DATABASE_URL: "postgresql://owner:p@db/certfleet" }, "MIGRATION_DATABASE_URL"],
    [
      {
        DATABASE_URL: "postgresql://owner:p@db/certfleet",
        MIGRATION_DATABASE_URL: "postgresql://owner:p@db/certfleet",
      },
      "MIGRATION_DATABASE_URL",
    ],
    [
      { DATABASE_URL: "postgresql://app@db/certfleet", MIGRATION_DATABASE_URL: "http://x/y" },
      "MIGRATION_DATABASE_URL",
    ],
  ])("stops on %o with a message naming %s", (env, setting) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${setting} `));
  });

  it("listens on loopback by default, API and web app alike", () => {
    expect(loadConfig({})).toMatchObject({ apiHost: "127.0.0.1", webHost: "127.0.0.1" });
  });

  it.each([
    [{ CERTFLEET_API_HOST: "0.0.0.0" }, "CERTFLEET_API_HOST"],
    [{ CERTFLEET_WEB_HOST: "0.0.0.0" }, "CERTFLEET_WEB_HOST"],
    [{ CERTFLEET_WEB_HOST: "192.0.2.10" }, "CERTFLEET_WEB_HOST"],
    [{ CERTFLEET_API_HOST: "::" }, "CERTFLEET_API_HOST"],
    [
      {
        DATABASE_URL: "postgresql://db/certfleet",
        CERTFLEET_SEED_DEMO: "true",
        CERTFLEET_API_HOST: "0.0.0.0",
      },
      "CERTFLEET_API_HOST",
    ],
  ])("refuses the demo (published passwords) when listening beyond loopback: %o", (env, host) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/^CERTFLEET_SEED_DEMO must be false/);
    expect(() => loadConfig(env)).toThrow(new RegExp(host));
  });

  it("allows the demo on any loopback address, and any address without the demo", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
      expect(loadConfig({ CERTFLEET_API_HOST: host, CERTFLEET_WEB_HOST: host }).seedDemo).toBe(true);
    const exposed = loadConfig({
      CERTFLEET_API_HOST: "0.0.0.0",
      CERTFLEET_WEB_HOST: "0.0.0.0",
      CERTFLEET_SEED_DEMO: "false",
    });
    expect(exposed).toMatchObject({ apiHost: "0.0.0.0", webHost: "0.0.0.0", seedDemo: false });
    expect(
      loadConfig({ DATABASE_URL: "postgresql://db/certfleet", CERTFLEET_API_HOST: "0.0.0.0" }).seedDemo,
    ).toBe(false);
  });

  it("takes a migrator beside the app's own role", () => {
    const config = loadConfig({
      DATABASE_URL: "postgresql://certfleet_app:p@db/certfleet",
      MIGRATION_DATABASE_URL: "postgresql://certfleet:q@db/certfleet",
    });
    expect(config.migrationDatabaseUrl).toBe("postgresql://certfleet:q@db/certfleet");
    expect(loadConfig({}).migrationDatabaseUrl).toBeNull();
  });

  it("reads valid values", () => {
    const config = loadConfig({
      DATABASE_URL: "postgresql://u:p@db:5432/certfleet",
      CERTFLEET_EXPIRY_WARNING_DAYS: "45",
      CERTFLEET_COLLECTOR_TOKEN: "x".repeat(40),
    });
    expect(config.databaseUrl).toBe("postgresql://u:p@db:5432/certfleet");
    expect(config.expiryWarningDays).toBe(45);
    expect(config.collectorToken).toHaveLength(40);
  });
});

describe("CERTFLEET_SESSION_IDLE_MINUTES", () => {
  it("defaults to an hour and reads a valid value", () => {
    expect(loadConfig({}).auth.sessionIdleMinutes).toBe(60);
    expect(loadConfig({ CERTFLEET_SESSION_IDLE_MINUTES: "15" }).auth.sessionIdleMinutes).toBe(15);
  });

  it.each(["0", "4", "abc", "-10", "43201"])("stops on %s, naming the variable", (value) => {
    const env = { CERTFLEET_SESSION_IDLE_MINUTES: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/^CERTFLEET_SESSION_IDLE_MINUTES /);
  });
});

describe("single sign-on rate limit", () => {
  const oidc = {
    CERTFLEET_OIDC_ISSUER: "https://idp.example.com",
    CERTFLEET_OIDC_CLIENT_ID: "certfleet",
    CERTFLEET_OIDC_CLIENT_SECRET: "secret",
    CERTFLEET_OIDC_REDIRECT_URI: "https://certfleet.example.com/api/v1/auth/oidc/callback",
  };

  it("defaults to 120 per address in 15 minutes and reads a valid value", () => {
    expect(loadConfig(oidc).auth.oidc?.attemptsPer15Minutes).toBe(120);
    expect(loadConfig({ ...oidc, CERTFLEET_OIDC_ATTEMPTS: "500" }).auth.oidc?.attemptsPer15Minutes).toBe(500);
  });

  it.each(["0", "many", "-1", "100001"])("stops on CERTFLEET_OIDC_ATTEMPTS=%s naming it", (value) => {
    expect(() => loadConfig({ ...oidc, CERTFLEET_OIDC_ATTEMPTS: value })).toThrow(
      /^CERTFLEET_OIDC_ATTEMPTS /,
    );
  });
});

describe("CERTFLEET_STREAM_MAX_CONNECTIONS", () => {
  it("defaults to 1000 live streams per instance and takes a whole number from 1", () => {
    expect(loadConfig({}).streamMaxConnections).toBe(1000);
    expect(loadConfig({ CERTFLEET_STREAM_MAX_CONNECTIONS: "5000" }).streamMaxConnections).toBe(5000);
  });

  it.each(["0", "many", "1000000"])("stops on %s naming the variable", (value) => {
    expect(() => loadConfig({ CERTFLEET_STREAM_MAX_CONNECTIONS: value })).toThrow(
      /^CERTFLEET_STREAM_MAX_CONNECTIONS /,
    );
  });
});
