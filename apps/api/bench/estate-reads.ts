/**
 * Read benchmark at 200,000 hosts: summary, host list (filters, sorts, cursor pages) and host
 * detail over real HTTP on a real Postgres.
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm bench:reads
 * Ingesting 200k reports one by one would take over an hour, so the estate is bulk-loaded with
 * SQL (bench/estate-sql.ts), shaped like what ingest writes (one real parsed certificate as the
 * template). BENCH_HOSTS changes the size.
 */

import { parseCertificate } from "@certfleet/core";
import { createDatabaseClient, migrateDatabase } from "@certfleet/db";
import pg from "pg";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { bootstrapAdmin } from "../src/services/users";
import { freePort } from "../test/support/global-setup";
import { createPki, issueCertificate } from "../test/support/reports";
import { loadEstateSql } from "./estate-sql";
import { provisionDatabase, summarise } from "./support";

const HOSTS = Number(process.env.BENCH_HOSTS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

async function main() {
  const database = await provisionDatabase();
  await migrateDatabase(database.url);
  const pki = await createPki();
  const template = await issueCertificate(pki, { fqdn: "template.contoso.com", serialHex: "1f00aa" });
  const parsed = parseCertificate(Buffer.from(template.base64, "base64"));

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const loadStart = performance.now();
  await loadEstateSql(client, HOSTS, parsed, Buffer.from(template.base64, "base64"));
  console.log(
    `loaded ${HOSTS.toLocaleString()} hosts in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
  );
  const sizes = await client.query(
    `SELECT relname, n_live_tup::int AS rows FROM pg_stat_user_tables WHERE n_live_tup > 0 ORDER BY relname`,
  );
  console.log(sizes.rows.map((row) => `${row.relname}=${row.rows}`).join(" "));
  await client.end();

  // Summary cache off: every summary request below is a full computation (the worst case).
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    CERTFLEET_SUMMARY_MAX_AGE_MS: "0",
  });
  const db = createDatabaseClient(database.url, config.databasePoolSize);
  const app = await buildApp({ config, db, databaseUrl: database.url });
  const port = await freePort();
  await app.listen({ host: "127.0.0.1", port });
  const base = `http://127.0.0.1:${port}`;
  await bootstrapAdmin(db, BENCH_ADMIN, { mustChangePassword: false });
  sessionCookie = await signInCookie(base);
  try {
    await time("warm-up", "/api/v1/summary", 3, base, true);
    await time("GET /api/v1/summary", "/api/v1/summary", RUNS, base);
    await time("GET /api/v1/hosts (default: sort expiry, 50)", "/api/v1/hosts", RUNS, base);
    await time(
      "GET /api/v1/hosts?role=Gateway&expiresWithinDays=30",
      "/api/v1/hosts?role=Gateway&expiresWithinDays=30",
      RUNS,
      base,
    );
    await time(
      "GET /api/v1/hosts?role=Agent&managementGroup=MG-PROD&rule=csp-not-ksp",
      "/api/v1/hosts?role=Agent&managementGroup=MG-PROD&rule=csp-not-ksp",
      RUNS,
      base,
    );
    await time(
      "GET /api/v1/hosts?status=error&sort=status",
      "/api/v1/hosts?status=error&sort=status",
      RUNS,
      base,
    );
    await time(
      "GET /api/v1/hosts?reporting=silent&sort=lastReport",
      "/api/v1/hosts?reporting=silent&sort=lastReport",
      RUNS,
      base,
    );
    await time("GET /api/v1/hosts?q=agent01234 (substring)", "/api/v1/hosts?q=agent01234", RUNS, base);
    await time("GET /api/v1/hosts?expiry=d30&limit=500", "/api/v1/hosts?expiry=d30&limit=500", RUNS, base);
    await timePages(base, "/api/v1/hosts?sort=fqdn&limit=100", 50);
    await timeDetails(base, RUNS * 2);
  } finally {
    await app.close();
    await db.$disconnect();
    await database.drop();
  }
}

/** Reads need a signed-in user, as in production; the cookie is fetched once, outside every timing. */
const BENCH_ADMIN = { email: "bench@certfleet.local", password: "bench-admin-password" };
let sessionCookie = "";

async function signInCookie(base: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(BENCH_ADMIN),
  });
  if (!response.ok) throw new Error(`sign-in: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

async function fetchOk(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { cookie: sessionCookie } });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function time(label: string, path: string, runs: number, base: string, quiet = false): Promise<void> {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fetchOk(`${base}${path}`);
    durations.push(performance.now() - start);
  }
  if (!quiet) summarise(label, durations, "requests");
}

/** Following nextCursor deep into the list: page 50 must cost what page 1 costs (no OFFSET). */
async function timePages(base: string, path: string, pages: number): Promise<void> {
  const durations: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < pages; page++) {
    const start = performance.now();
    const result = (await fetchOk(`${base}${path}${cursor ? `&cursor=${cursor}` : ""}`)) as {
      nextCursor: string | null;
    };
    durations.push(performance.now() - start);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  summarise(`${path}: ${durations.length} consecutive cursor pages`, durations, "pages");
  const half = Math.floor(durations.length / 2);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  console.log(
    `  first half mean ${mean(durations.slice(0, half)).toFixed(2)} ms, second half ${mean(durations.slice(half)).toFixed(2)} ms`,
  );
}

async function timeDetails(base: string, runs: number): Promise<void> {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const n = 15 + Math.floor(Math.random() * (HOSTS - 15));
    const fqdn = `agent${String(n).padStart(6, "0")}.corp.contoso.com`;
    const start = performance.now();
    await fetchOk(`${base}/api/v1/hosts/${fqdn}`);
    durations.push(performance.now() - start);
  }
  summarise("GET /api/v1/hosts/{fqdn} (random agents)", durations, "requests");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
