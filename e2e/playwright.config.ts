import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { createDatabase, newDatabaseName, withDatabase } from "./support/database";
import { ADMIN, ADMIN_STATE, API_PORT, COLLECTOR_TOKEN, WEB_PORT, WEB_URL } from "./support/env";

/**
 * Browser tests against the real stack: `node scripts/start.mjs` (API + Next.js) on ports that do
 * not clash with a developer's running instance, with its own empty state:
 *
 * - CERTFLEET_DATA_DIR is a fresh temp dir (the embedded Postgres lives there when DATABASE_URL is
 *   unset).
 * - With DATABASE_URL set (CI points it at the system Postgres), the stack gets a fresh database
 *   `certfleet_e2e_<random>` on that server instead.
 * - No demo estate (CERTFLEET_SEED_DEMO=false): the specs post their own hosts through the public
 *   API with the fixed collector token (support/estate.ts), so every number on screen is known.
 *
 * Lifecycle, and why it is not in globalSetup/globalTeardown:
 * - Playwright starts `webServer` *before* globalSetup, and the webServer env is fixed when this
 *   module loads, so this module creates the database (top-level await) before exporting the config.
 * - Cleanup happens in this process's 'exit' hook, which runs after Playwright has stopped the
 *   webServer, whatever happened. globalTeardown would run while the stack is still connected, and
 *   not at all when the webServer fails to start (leaking the database).
 * - Playwright loads this module again in each worker. Workers inherit the runner's environment, so
 *   the first load records what it created in CERTFLEET_E2E_* variables and later loads reuse it.
 * - CERTFLEET_E2E_KEEP=1 keeps the temp dir and database for debugging.
 */

// Embedded Postgres port (used when DATABASE_URL is unset), away from a developer's default 54329.
const EMBEDDED_PG_PORT = 54339;
const CHROMIUM = process.env.CERTFLEET_E2E_CHROMIUM ?? "/usr/bin/chromium";
const REPO_ROOT = path.resolve(import.meta.dirname, "..");

const keep = Boolean(process.env.CERTFLEET_E2E_KEEP);

let dataDir = process.env.CERTFLEET_E2E_DATA_DIR;
if (!dataDir) {
  const created = mkdtempSync(path.join(tmpdir(), "certfleet-e2e-"));
  dataDir = created;
  process.env.CERTFLEET_E2E_DATA_DIR = created;
  if (keep) console.log(`[e2e] data dir ${created} will be kept`);
  else process.once("exit", () => rmSync(created, { recursive: true, force: true }));
}

const serverUrl = process.env.DATABASE_URL || undefined;
let databaseName = process.env.CERTFLEET_E2E_DATABASE;
if (serverUrl && !databaseName) {
  const created = newDatabaseName();
  await createDatabase(serverUrl, created);
  databaseName = created;
  process.env.CERTFLEET_E2E_DATABASE = created;
  if (keep) console.log(`[e2e] database ${created} will be kept`);
  else
    process.once("exit", () => {
      // 'exit' handlers must be synchronous: drop from a child process and wait for it.
      spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(import.meta.dirname, "support/drop-database.ts")],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, DATABASE_URL: serverUrl, CERTFLEET_E2E_DATABASE: created },
          stdio: "inherit",
          timeout: 60_000,
        },
      );
    });
}
const databaseUrl = serverUrl && databaseName ? withDatabase(serverUrl, databaseName) : undefined;

export default defineConfig({
  testDir: ".",
  outputDir: "test-results",
  fullyParallel: false,
  // One shared stack and two cores: run specs one at a time.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [
    ["list"],
    ["html", { outputFolder: "playwright-report", open: "never" }],
    // scripts/counted-run.mjs reads the counts from here, so a run that ran too few tests fails.
    ...(process.env.CERTFLEET_E2E_RESULTS
      ? [["json", { outputFile: process.env.CERTFLEET_E2E_RESULTS }] as const]
      : []),
  ],
  use: {
    baseURL: WEB_URL,
    screenshot: "on",
    trace: "retain-on-failure",
  },
  projects: [
    // Signs the admin in once through the API; every spec starts from that session.
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { launchOptions: { executablePath: CHROMIUM } } },
    {
      name: "chromium",
      dependencies: ["setup"],
      // Benchmarks (tests tagged @bench) run only with `pnpm bench:live`; the setup project always runs.
      ...(process.env.CERTFLEET_E2E_BENCH ? { grep: /@bench/ } : { grepInvert: /@bench/ }),
      use: {
        ...devices["Desktop Chrome"],
        storageState: ADMIN_STATE,
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node scripts/start.mjs",
    cwd: "..",
    env: {
      WEB_PORT: String(WEB_PORT),
      API_PORT: String(API_PORT),
      CERTFLEET_DATA_DIR: dataDir,
      CERTFLEET_EMBEDDED_PG_PORT: String(EMBEDDED_PG_PORT),
      NEXT_TELEMETRY_DISABLED: "1",
      CERTFLEET_SEED_DEMO: "false",
      CERTFLEET_COLLECTOR_TOKEN: COLLECTOR_TOKEN,
      CERTFLEET_ADMIN_EMAIL: ADMIN.email,
      CERTFLEET_ADMIN_PASSWORD: ADMIN.password,
      // The webhook spec's receiver listens on loopback, which webhooks reach only when allowed.
      CERTFLEET_WEBHOOK_ALLOW: "127.0.0.1/32",
      // Webhook secrets are encrypted at rest; with DATABASE_URL the key must be given (a test key).
      CERTFLEET_SECRET_KEY: "e2e0".repeat(16),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    url: `${WEB_URL}/api/health`,
    // A cold `next build` plus embedded Postgres init on 2 cores takes a while.
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // Let start.mjs stop the API, Next.js and the embedded Postgres cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
