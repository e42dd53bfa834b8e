import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** Arbitrary, fixed: every certfleet instance must agree on it. ("cfmigr" in ASCII.) */
const MIGRATION_LOCK_ID = 0x63666d696772;

/**
 * Applies the committed SQL migrations in prisma/migrations with `prisma migrate deploy`,
 * holding a Postgres advisory lock for the duration so that several API instances starting
 * together run them once, one after the other (the later ones find nothing to do).
 */
export async function migrateDatabase(url: string, log: (line: string) => void = () => {}): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    const pending = await pendingMigrations(client);
    if (pending.length === 0) return;
    log(`applying ${pending.length} migration(s): ${pending.join(", ")}`);
    await runPrismaMigrateDeploy(url, log);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await client.end();
  }
}

/**
 * The Prisma CLI takes ~10 s to load on a 2-core machine even when there is nothing to do, so
 * restarts first ask _prisma_migrations (Prisma's own ledger) whether every committed migration
 * has finished; only then is the CLI skipped. Anything unknown falls through to the CLI.
 */
async function pendingMigrations(client: pg.Client): Promise<string[]> {
  const committed = readdirSync(path.join(repoRoot, "prisma/migrations"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const ledger = await client.query<{ exists: boolean }>(
    "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists",
  );
  if (!ledger.rows[0]?.exists) return committed;
  const applied = await client.query<{ migration_name: string }>(
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
  );
  const done = new Set(applied.rows.map((row) => row.migration_name));
  return committed.filter((name) => !done.has(name));
}

function runPrismaMigrateDeploy(url: string, log: (line: string) => void): Promise<void> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve("prisma/build/index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => {
      // On success only the outcome is worth a line; the CLI's banner and adapter warnings are noise.
      if (code === 0) {
        log("migrations applied");
        resolve();
      } else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${redact(output, url)}`));
    });
  });
}

function redact(text: string, url: string): string {
  const password = new URL(url).password;
  return password ? text.replaceAll(password, "***") : text;
}
