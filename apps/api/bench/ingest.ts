/**
 * Ingest benchmark: the real HTTP server on a real Postgres, 1,000 sequential report posts.
 *   pnpm bench:ingest                  (embedded Postgres in a temp dir)
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm bench:ingest   (fresh database there)
 * Phase 1 posts a first report for 1,000 new hosts (new certificates: parse + insert);
 * phase 2 posts the next day's report for the same hosts (known certificates: the steady state).
 */
import { randomBytes } from "node:crypto";
import type { Report } from "@certfleet/contracts";
import { createDatabaseClient, migrateDatabase } from "@certfleet/db";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { ensureCollectorToken } from "../src/services/tokens";
import { freePort } from "../test/support/global-setup";
import { buildReport, createPki, type IssuedCertificate, issueCertificate } from "../test/support/reports";
import { provisionDatabase, summarise } from "./support";

const COUNT = Number(process.env.BENCH_REPORTS ?? 1000);
const WARMUP = 20;

async function main() {
  const database = await provisionDatabase();
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  await migrateDatabase(database.url);
  const db = createDatabaseClient(database.url, config.databasePoolSize);
  const token = `bench-${randomBytes(24).toString("hex")}`;
  await ensureCollectorToken(db, token, "bench");
  const app = await buildApp({ config, db, databaseUrl: database.url });
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
