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
  ])("stops on %o with a message naming %s", (env, setting) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${setting} `));
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
