/**
 * Demo seed benchmark: the full default estate (3,000 agents) through the batch ingest into a fresh
 * database, then a second run that must find it loaded and write nothing.
 *   pnpm bench:demo-seed                (embedded Postgres in a temp dir)
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm bench:demo-seed
 *   DEMO_AGENTS=1000 DEMO_CONCURRENCY=3 … to try other sizes and batches in flight.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabaseClient, migrateDatabase } from "@certfleet/db";
import { loadConfig } from "../src/config";
import { seedDemoEstate } from "../src/services/demo-seed";
import { rowCounts } from "../test/support/app";
import { provisionDatabase } from "./support";

const agents = process.env.DEMO_AGENTS ? Number(process.env.DEMO_AGENTS) : undefined;
const concurrency = process.env.DEMO_CONCURRENCY ? Number(process.env.DEMO_CONCURRENCY) : undefined;

async function main() {
  const database = await provisionDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-demo-bench-"));
  try {
    await migrateDatabase(database.url);
    const config = loadConfig({
      DATABASE_URL: database.url,
      CERTFLEET_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    });
    const db = createDatabaseClient(database.url, config.databasePoolSize);
    const settings = {
      expiryWarningDays: config.expiryWarningDays,
      trustAnchors: [],
      silentAfterHours: config.silentAfterHours,
    };
    const say = (line: string) => console.log(`  ${line}`);
    try {
      const first = await seedDemoEstate(db, config, settings, say, { agents, concurrency });
      const before = await rowCounts(db);
      console.log(`first run: ${first.seconds.toFixed(1)} s; rows ${JSON.stringify(before)}`);
      const started = performance.now();
      const second = await seedDemoEstate(db, config, settings, say, { agents, concurrency });
      const after = await rowCounts(db);
      const same = JSON.stringify(before) === JSON.stringify(after);
      console.log(
        `second run: skipped=${second.skipped} in ${((performance.now() - started) / 1000).toFixed(2)} s; ` +
          `rows ${same ? "unchanged" : `CHANGED ${JSON.stringify(after)}`}`,
      );
    } finally {
      await db.$disconnect();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
