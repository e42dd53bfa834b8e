/**
 * Ingest benchmark: the real HTTP server on a real Postgres, 1,000 sequential report posts.
 *   pnpm bench:ingest                  (embedded Postgres in a temp dir)
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm bench:ingest   (fresh database there)
 * Phase 1 posts a first report for 1,000 new hosts (new certificates: parse + insert);
 * phase 2 posts the next day's report for the same hosts (known certificates: the steady state).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "@certfleet/contracts";
import { createDatabaseClient, migrateDatabase, quoteIdentifier, startEmbeddedPostgres } from "@certfleet/db";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { ensureCollectorToken } from "../src/services/tokens";
import { freePort, withAdmin, withDatabase } from "../test/support/global-setup";
import { buildReport, createPki, type IssuedCertificate, issueCertificate } from "../test/support/reports";

const COUNT = Number(process.env.BENCH_REPORTS ?? 1000);
const WARMUP = 20;

async function main() {
  const database = await provisionDatabase();
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  await migrateDatabase(database.url);
  const db = createDatabaseClient(database.url, config.databasePoolSize);
  const token = `bench-${randomBytes(24).toString("hex")}`;
  await ensureCollectorToken(db, token, "bench");
  const app = await buildApp({ config, db });
  const port = await freePort();
  await app.listen({ host: "127.0.0.1", port });
  const url = `http://127.0.0.1:${port}/api/v1/reports`;

  try {
    const pki = await createPki();
    const started = performance.now();
    const certificates: IssuedCertificate[] = [];
    for (let i = 0; i < COUNT + WARMUP; i++) {
      const serialHex = `1f${(i + 1).toString(16).padStart(8, "0")}${randomBytes(13).toString("hex")}`;
      certificates.push(await issueCertificate(pki, { fqdn: hostName(i), serialHex }));
    }
    console.log(
      `issued ${certificates.length} certificates in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const day1 = new Date(Date.now() - 86_400_000).toISOString();
    const day2 = new Date().toISOString();
    const reportFor = (i: number, collectedAt: string): Report =>
      buildReport(hostName(i), [certificates[i] as IssuedCertificate], { collectedAt });

    for (let i = COUNT; i < COUNT + WARMUP; i++) await post(url, token, reportFor(i, day1));
    summarise(
      "phase 1: first report of a new host (new certificate)",
      await timeAll(url, token, (i) => reportFor(i, day1)),
    );
    summarise(
      "phase 2: next report of a known host (known certificate)",
      await timeAll(url, token, (i) => reportFor(i, day2)),
    );
    console.log(`rows: ${await db.host.count()} hosts, ${await db.report.count()} reports`);
  } finally {
    await app.close();
    await db.$disconnect();
    await database.drop();
  }
}

const hostName = (i: number) => `agent${String(i).padStart(5, "0")}.bench.contoso.com`;

async function post(url: string, token: string, report: Report): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(report),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`unexpected ${response.status}`);
  return response.status;
}

async function timeAll(url: string, token: string, reportFor: (i: number) => Report): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < COUNT; i++) {
    const report = reportFor(i);
    const start = performance.now();
    await post(url, token, report);
    durations.push(performance.now() - start);
  }
  return durations;
}

function summarise(label: string, durations: number[]) {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const total = durations.reduce((sum, d) => sum + d, 0);
  console.log(
    `${label}\n  n=${durations.length} median=${at(0.5).toFixed(2)} ms p95=${at(0.95).toFixed(2)} ms ` +
      `p99=${at(0.99).toFixed(2)} ms mean=${(total / durations.length).toFixed(2)} ms ` +
      `max=${(sorted.at(-1) ?? 0).toFixed(2)} ms → ${((durations.length / total) * 1000).toFixed(0)} reports/s sequential`,
  );
}

async function provisionDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `certfleet_bench_${randomBytes(5).toString("hex")}`;
    await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
    console.log(`database: ${name} on ${new URL(serverUrl).host}`);
    return {
      url: withDatabase(serverUrl, name),
      drop: async () => {
        await withAdmin(serverUrl, (client) =>
          client.query(`DROP DATABASE ${quoteIdentifier(name)} WITH (FORCE)`),
        );
      },
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-bench-"));
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  console.log("database: embedded Postgres in a temp dir");
  return {
    url: embedded.url,
    drop: async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
