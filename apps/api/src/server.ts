import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  createDatabaseClient,
  databaseRole,
  grantRuntimePrivileges,
  migrateDatabase,
  type RunningEmbeddedPostgres,
  startEmbeddedPostgres,
} from "@certfleet/db";
import { buildApp } from "./app";
import { type Config, ConfigError, isLoopbackHost, loadConfig } from "./config";
import { disableDemoAccounts, ensureDemoAccounts } from "./services/demo-accounts";
import { seedDemoEstate } from "./services/demo-seed";
import { ensureCollectorToken, generateToken } from "./services/tokens";
import { bootstrapAdmin } from "./services/users";
import { closeGracefully } from "./shutdown";

/** Process entry point: config → database (embedded or DATABASE_URL) → migrations → listen. */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const say = (line: string) => console.log(`[certfleet] ${line}`);

  let embedded: RunningEmbeddedPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    say(`no DATABASE_URL: starting embedded Postgres (data in ${path.resolve(config.dataDir)})`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort });
    databaseUrl = embedded.url;
  }
  if (config.migrationDatabaseUrl) {
    // The schema owner migrates; the app then runs as DATABASE_URL's role, which owns nothing.
    await migrateDatabase(config.migrationDatabaseUrl, say);
    await grantRuntimePrivileges(config.migrationDatabaseUrl, databaseRole(databaseUrl));
  } else {
    // One role for both (the embedded default, or a DATABASE_URL whose migrations ran elsewhere:
    // with nothing pending this only reads the migration ledger).
    await migrateDatabase(databaseUrl, say);
  }
  const db = createDatabaseClient(databaseUrl, {
    poolSize: config.databasePoolSize,
    ...config.databaseTimeouts,
  });
  await seedCollectorToken(config, db, embedded !== null, say);
  await seedAccounts(config, db, say);

  const app = await buildApp({ config, db, databaseUrl }, { logger: { level: config.logLevel } });
  if (config.seedDemo) {
    // A broken demo must not keep the API down: say why, and the next start tries again.
    await seedDemoEstate(db, config, app.evaluationSettings, say).catch((error: unknown) =>
      say(`demo estate not loaded: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down (in-flight requests get up to ${config.shutdownGraceMs} ms)`);
    // Last resort: whatever hangs after the grace period (a dead database, a stuck hook) must not
    // keep the process from exiting.
    setTimeout(() => {
      console.error("[certfleet] shutdown did not finish in time; exiting");
      process.exit(1);
    }, config.shutdownGraceMs + 15_000).unref();
    // Requests first, then what they use: the database, then the embedded server under it.
    await closeGracefully(app, config.shutdownGraceMs, say).catch((error: unknown) => console.error(error));
    await db.$disconnect().catch((error: unknown) => console.error(error));
    await embedded?.stop().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  // on, not once: a second signal (Ctrl-C twice, a supervisor's group kill) must not cut the
  // clean shutdown short and leave the embedded Postgres behind.
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  await app.listen({ host: config.apiHost, port: config.apiPort });
  say(`API listening on http://${config.apiHost}:${config.apiPort} (OpenAPI at /api/docs)`);
}

/** The first admin from CERTFLEET_ADMIN_EMAIL/PASSWORD, and the demo accounts with the demo estate. */
async function seedAccounts(
  config: Config,
  db: ReturnType<typeof createDatabaseClient>,
  say: (line: string) => void,
): Promise<void> {
  if (config.auth.bootstrapAdmin) {
    const outcome = await bootstrapAdmin(db, config.auth.bootstrapAdmin);
    if (outcome === "created") say(`created the first admin, ${config.auth.bootstrapAdmin.email}`);
  }
  // config.ts refuses the demo unless both listen on loopback; accounts left by an earlier demo run go too.
  if (!isLoopbackHost(config.apiHost) || !isLoopbackHost(config.webHost)) {
    const disabled = await disableDemoAccounts(db);
    if (disabled.length > 0)
      say(
        `listening beyond loopback: disabled the demo accounts (published passwords): ${disabled.join(", ")}`,
      );
  }
  if (config.seedDemo) {
    await ensureDemoAccounts(db);
    say("demo accounts: <role>@demo.certfleet.local / demo-<role>-password (viewer, operator, lead, admin)");
  }
  if ((await db.user.count()) === 0) {
    say(
      "no users yet: set CERTFLEET_ADMIN_EMAIL and CERTFLEET_ADMIN_PASSWORD and restart to create the first admin",
    );
  }
}

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[certfleet] configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * CERTFLEET_COLLECTOR_TOKEN is seeded when set. On the embedded default without it, a token is
 * generated once and kept in <dataDir>/collector-token, so a first run can post reports at once.
 */
async function seedCollectorToken(
  config: Config,
  db: ReturnType<typeof createDatabaseClient>,
  embedded: boolean,
  say: (line: string) => void,
): Promise<void> {
  if (config.collectorToken) {
    await ensureCollectorToken(db, config.collectorToken, "CERTFLEET_COLLECTOR_TOKEN");
    return;
  }
  if (!embedded) return;
  const file = path.join(config.dataDir, "collector-token");
  const token = existsSync(file) ? (await readFile(file, "utf8")).trim() : generateToken();
  if (!existsSync(file)) await writeFile(file, `${token}\n`, { mode: 0o600 });
  await ensureCollectorToken(db, token, "embedded default (collector-token file)");
  say(`collector token for this data directory: ${path.resolve(file)}`);
}

main().catch((error: unknown) => {
  console.error("[certfleet] failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
