/** Shared by the benchmarks: a fresh database to measure in, and how numbers are printed. */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { quoteIdentifier, startEmbeddedPostgres } from "@certfleet/db";
import { freePort, withAdmin, withDatabase } from "../test/support/global-setup";

/** Median, p95, p99, mean and max of a list of durations in milliseconds, on one line. */
export function summarise(label: string, durations: number[], unit = "reports") {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const total = durations.reduce((sum, d) => sum + d, 0);
  console.log(
    `${label}\n  n=${durations.length} median=${at(0.5).toFixed(2)} ms p95=${at(0.95).toFixed(2)} ms ` +
      `p99=${at(0.99).toFixed(2)} ms mean=${(total / durations.length).toFixed(2)} ms ` +
      `max=${(sorted.at(-1) ?? 0).toFixed(2)} ms → ${((durations.length / total) * 1000).toFixed(0)} ${unit}/s sequential`,
  );
}

/** DATABASE_URL set: a new database on that server (dropped afterwards); else an embedded Postgres in a temp dir. */
export async function provisionDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
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
