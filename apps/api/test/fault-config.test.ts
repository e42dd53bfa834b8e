import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

/** The settings for database faults, shutdown, proxies and sign-in limits (issue 11). */
describe("fault and sign-in settings", () => {
  it("defaults to bounded database waits, a 10 s shutdown grace, no trusted proxy", () => {
    const config = loadConfig({});
    expect(config.databaseTimeouts).toEqual({
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 60_000,
      lockTimeoutMs: 10_000,
    });
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(config.trustProxy).toBe(false);
    expect(config.auth).toMatchObject({ loginFailuresBeforeBackoff: 5, passwordHashConcurrency: 2 });
  });

  it("reads CERTFLEET_TRUST_PROXY as a hop count or a list of addresses and CIDRs", () => {
    expect(loadConfig({ CERTFLEET_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ CERTFLEET_TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(loadConfig({ CERTFLEET_TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ CERTFLEET_TRUST_PROXY: "10.0.0.0/8, 192.168.1.5,::1" }).trustProxy).toEqual([
      "10.0.0.0/8",
      "192.168.1.5",
      "::1",
    ]);
  });

  it.each([
    [{ CERTFLEET_TRUST_PROXY: "true" }, "CERTFLEET_TRUST_PROXY"],
    [{ CERTFLEET_TRUST_PROXY: "proxy.example.com" }, "CERTFLEET_TRUST_PROXY"],
    [{ CERTFLEET_TRUST_PROXY: "10.0.0.0/33" }, "CERTFLEET_TRUST_PROXY"],
    [{ CERTFLEET_TRUST_PROXY: "11" }, "CERTFLEET_TRUST_PROXY"],
    [{ CERTFLEET_DB_STATEMENT_TIMEOUT_MS: "soon" }, "CERTFLEET_DB_STATEMENT_TIMEOUT_MS"],
    [{ CERTFLEET_DB_LOCK_TIMEOUT_MS: "0" }, "CERTFLEET_DB_LOCK_TIMEOUT_MS"],
    [{ CERTFLEET_DB_CONNECT_TIMEOUT_MS: "-1" }, "CERTFLEET_DB_CONNECT_TIMEOUT_MS"],
    [{ CERTFLEET_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "5" }, "CERTFLEET_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"],
    [{ CERTFLEET_SHUTDOWN_GRACE_MS: "forever" }, "CERTFLEET_SHUTDOWN_GRACE_MS"],
    [{ CERTFLEET_PASSWORD_HASH_CONCURRENCY: "0" }, "CERTFLEET_PASSWORD_HASH_CONCURRENCY"],
    [{ CERTFLEET_LOGIN_ACCOUNT_FAILURES: "0" }, "CERTFLEET_LOGIN_ACCOUNT_FAILURES"],
  ])("stops on %o with a message naming %s", (env, setting) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(setting);
  });
});
