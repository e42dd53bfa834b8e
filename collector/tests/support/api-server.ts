// The real certfleet API for the collector's end-to-end test (E2E.Tests.ps1): an embedded Postgres in a
// temp dir (or the server DATABASE_URL names), a freshly migrated database, buildApp() listening on a
// free loopback port, a collector token and an admin. Prints one JSON line
// { url, token, email, password } when ready; stops and cleans up when its standard input closes.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { buildApp } from "../../../apps/api/src/app";
import { loadConfig } from "../../../apps/api/src/config";
import { ensureCollectorToken } from "../../../apps/api/src/services/tokens";
import { bootstrapAdmin } from "../../../apps/api/src/services/users";
import {
  createDatabaseClient,
  migrateDatabase,
  quoteIdentifier,
  type RunningEmbeddedPostgres,
  startEmbeddedPostgres,
} from "../../../packages/db/src/index";

const ADMIN = { email: "admin@collector-e2e.certfleet.local", password: "collector-e2e-password" };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let embedded: RunningEmbeddedPostgres | null = null;
let dataDir: string | null = null;
let adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-collector-e2e-"));
  embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres" });
  adminUrl = embedded.url;
}
const database = `certfleet_collector_e2e_${randomBytes(4).toString("hex")}`;
await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdentifier(database)}`);
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${database}`;
await migrateDatabase(databaseUrl.toString());

const config = loadConfig({
  DATABASE_URL: databaseUrl.toString(),
  LOG_LEVEL: "silent",
  CERTFLEET_JOBS: "false",
});
const db = createDatabaseClient(databaseUrl.toString(), 4);
const token = `collector-e2e-${randomBytes(24).toString("hex")}`;
await ensureCollectorToken(db, token, "collector end-to-end test");
await bootstrapAdmin(db, ADMIN, { mustChangePassword: false });
const app = await buildApp({ config, db, databaseUrl: databaseUrl.toString() });
const address = await app.listen({ host: "127.0.0.1", port: 0 });
console.log(JSON.stringify({ url: address, token, ...ADMIN }));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close();
  await db.$disconnect();
  await adminQuery(adminUrl as string, `DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
