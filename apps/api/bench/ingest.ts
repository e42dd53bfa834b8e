/**
 * Ingest benchmark: the real HTTP server on a real Postgres, each figure beside a raw-SQL baseline.
 *   pnpm bench:ingest                  (embedded Postgres in a temp dir)
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm bench:ingest   (fresh database there)
 *   BENCH_HOSTS=20000 BENCH_SINGLE=2000 pnpm bench:ingest                          (a quick run)
 * (a) fresh: BENCH_HOSTS first reports (distinct certificates) in batches of BENCH_BATCH, BENCH_IN_FLIGHT
 *     batches at once; beside it, COPY FROM STDIN of the same Host and Report rows into a copy of the schema.
 * (b) steady state: the same hosts re-report their known certificates, batched the same way.
 * (c) single POST /api/v1/reports from BENCH_COLLECTORS concurrent collectors, BENCH_SINGLE posts: p50/p99.
 *     The collectors run in a child process (single-collectors.ts): the CPU column is the server's alone.
 * Request bodies are serialised before each clock starts, so the client's own work is small.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism, cpus } from "node:os";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { BatchResult } from "@certfleet/contracts";
import { createDatabaseClient, migrateDatabase } from "@certfleet/db";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { ensureCollectorToken } from "../src/services/tokens";
import { freePort } from "../test/support/global-setup";
import { createFleet, type Fleet, hostName } from "./ingest-fleet";
import { postgresCpuMs, postmasterPid } from "./postgres-cpu";
import type { SinglesJob, SinglesResult } from "./single-collectors";
import { provisionDatabase } from "./support";

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
  return value;
};
const HOSTS = number("BENCH_HOSTS", 200_000);
const BATCH = number("BENCH_BATCH", 1_000);
const IN_FLIGHT = number("BENCH_IN_FLIGHT", 3);
const SINGLE = number("BENCH_SINGLE", 10_000);
const COLLECTORS = number("BENCH_COLLECTORS", 50);
const DAY = 86_400_000;

async function main() {
  console.log(
    `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown"}), node ${process.version}; ` +
      `hosts=${HOSTS} batch=${BATCH} inFlight=${IN_FLIGHT} single=${SINGLE} collectors=${COLLECTORS}`,
  );
  const database = await provisionDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    CERTFLEET_JOBS: "false",
    // One bench token sends the whole fleet: the per-token budget would cap it at 2,000 reports/s.
    CERTFLEET_TOKEN_REPORTS_PER_MINUTE: "100000000",
  });
  await migrateDatabase(database.url);
  const db = createDatabaseClient(database.url, config.databasePoolSize);
  const token = `bench-${randomBytes(24).toString("hex")}`;
  await ensureCollectorToken(db, token, "bench");
  const app = await buildApp({ config, db, databaseUrl: database.url });
  const port = await freePort();
  await app.listen({ host: "127.0.0.1", port });
  const base = `http://127.0.0.1:${port}/api/v1/reports`;
  const rows: string[][] = [];

  try {
    const fleet = await createFleet();
    const dayOne = new Date(Date.now() - 3 * DAY);
    const dayTwo = new Date(Date.now() - 2 * DAY);

    // (a) fresh reports, then COPY of the same rows
    const fresh = await timeBatches(base, token, fleet, dayOne);
    const copy = await copyBaseline(database.url, fleet, dayOne);
    rows.push([
      `(a) ${format(HOSTS)} fresh reports, batches of ${format(BATCH)}, ${IN_FLIGHT} in flight`,
      `${fresh.seconds.toFixed(1)} s`,
      `${format(Math.round(HOSTS / fresh.seconds))} reports/s`,
      `${fresh.cpuMsPerReport.toFixed(2)} ms`,
      `COPY of the Host + Report rows (pg-copy-streams): ${copy.toFixed(1)} s; ingest/COPY ${(fresh.seconds / copy).toFixed(1)}×`,
    ]);

    // (b) steady state
    const steady = await timeBatches(base, token, fleet, dayTwo);
    rows.push([
      `(b) ${format(HOSTS)} known hosts re-reporting known certificates`,
      `${steady.seconds.toFixed(1)} s`,
      `${format(Math.round(HOSTS / steady.seconds))} reports/s`,
      `${steady.cpuMsPerReport.toFixed(2)} ms`,
      `goal ≥ 3,000 (5,000) reports/s`,
    ]);

    // (c) single reports from concurrent collectors
    const single = await timeSingles(base, token, fleet, new Date(Date.now() - DAY), database.url);
    rows.push([
      `(c) ${format(SINGLE)} single POST /api/v1/reports, ${COLLECTORS} concurrent collectors`,
      `${single.seconds.toFixed(1)} s`,
      `${format(Math.round(SINGLE / single.seconds))} reports/s`,
      `${single.cpuMsPerReport.toFixed(2)} ms`,
      `p50 ${single.p50.toFixed(1)} ms, p99 ${single.p99.toFixed(1)} ms (goal p99 ≤ 50 ms); ` +
        `server only (collectors in a child process: ${single.clientCpuMsPerReport.toFixed(2)} ms CPU per post; ` +
        `Postgres: ${single.postgresCpuMsPerReport === null ? "not local" : `${single.postgresCpuMsPerReport.toFixed(2)} ms`} per report); ` +
        `server event loop delay p99 ${single.loopDelayP99.toFixed(1)} ms, max ${single.loopDelayMax.toFixed(1)} ms; ` +
        `${single.gcCount} GC pauses, longest ${single.gcMax.toFixed(1)} ms`,
    ]);

    const [hosts, reports] = [await db.host.count(), await db.report.count()];
    console.log(`\nrows: ${format(hosts)} hosts, ${format(reports)} reports\n`);
    console.log("| measurement | time | throughput | API process CPU per report | beside it |");
    console.log("|---|---|---|---|---|");
    for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  } finally {
    await app.close();
    await db.$disconnect();
    await database.drop();
  }
}

const format = (n: number) => n.toLocaleString("en-US");

/** Every host once, BATCH reports per request, IN_FLIGHT requests at once; each report must be stored. */
async function timeBatches(base: string, token: string, fleet: Fleet, collectedAt: Date) {
  const bodies: string[] = [];
  for (let start = 0; start < HOSTS; start += BATCH) {
    const reports = [];
    for (let i = start; i < Math.min(HOSTS, start + BATCH); i++) reports.push(fleet.report(i, collectedAt));
    bodies.push(JSON.stringify({ reports }));
  }
  let next = 0;
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const response = await fetch(`${base}/batch`, { method: "POST", headers: headers(token), body });
      const result = (await response.json()) as BatchResult;
      if (response.status !== 200 || result.rejected > 0) {
        throw new Error(`batch answered ${response.status}: ${JSON.stringify(result).slice(0, 500)}`);
      }
      done += result.accepted;
      if (Math.floor(done / 20_000) !== Math.floor((done - result.accepted) / 20_000)) {
        console.log(`  ${format(done)} reports, ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { seconds: (performance.now() - started) / 1000, cpuMsPerReport: cpuMs(cpu) / HOSTS };
}

/**
 * SINGLE posts of one report each (distinct known hosts), COLLECTORS at a time; latency per post. The
 * collectors run in a child process (single-collectors.ts), so the CPU column is the API server's alone.
 */
async function timeSingles(
  base: string,
  token: string,
  fleet: Fleet,
  collectedAt: Date,
  databaseUrl: string,
) {
  // More posts than hosts: each pass over the hosts is a second later (a new report, not a replay).
  const bodies = Array.from({ length: SINGLE }, (_, n) =>
    JSON.stringify(fleet.report(n % HOSTS, new Date(collectedAt.getTime() + Math.floor(n / HOSTS) * 1000))),
  );
  const warm = Array.from({ length: COLLECTORS }, (_, n) =>
    JSON.stringify(fleet.report(n % HOSTS, new Date(collectedAt.getTime() - 60_000 - n))),
  );
  const job: SinglesJob = { url: base, token, collectors: COLLECTORS, warm, bodies };
  const child = fork(fileURLToPath(new URL("./single-collectors.ts", import.meta.url)));
  const postmaster = await postmasterPid(databaseUrl);
  let cpu = process.cpuUsage();
  let postgresBefore: number | null = null;
  // The server shares this process: how long its event loop stalled, and the GC pauses among the stalls.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  const gcPauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  const result = await new Promise<SinglesResult>((resolve, reject) => {
    child.on("message", (message: { type: string; result?: SinglesResult }) => {
      if (message.type === "ready") {
        void postgresCpuMs(postmaster).then((ms) => {
          postgresBefore = ms;
          cpu = process.cpuUsage();
          loopDelay.enable();
          gc.observe({ entryTypes: ["gc"] });
          child.send("go");
        });
      }
      if (message.type === "done" && message.result) resolve(message.result);
    });
    child.on("exit", (code) => reject(new Error(`the collectors' process exited with ${code}`)));
    child.send(job);
  });
  const serverCpuMs = cpuMs(cpu);
  loopDelay.disable();
  gc.disconnect();
  const postgresAfter = await postgresCpuMs(postmaster);
  const postgresCpuMsPerReport =
    postgresBefore === null || postgresAfter === null ? null : (postgresAfter - postgresBefore) / SINGLE;
  const sorted = result.durations.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    seconds: result.seconds,
    p50: at(0.5),
    p99: at(0.99),
    cpuMsPerReport: serverCpuMs / SINGLE,
    clientCpuMsPerReport: result.clientCpuMs / SINGLE,
    postgresCpuMsPerReport,
    loopDelayP99: loopDelay.percentile(99) / 1e6,
    loopDelayMax: loopDelay.max / 1e6,
    gcCount: gcPauses.length,
    gcMax: Math.max(0, ...gcPauses),
  };
}

/**
 * CPU milliseconds this process (API server and bench client) spent since `since`: on a shared machine
 * wall time mostly measures the neighbours, this does not. Postgres's own CPU is not included.
 */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const headers = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

/**
 * The raw-SQL floor: COPY FROM STDIN of the same Host and Report rows (one each per host, the report's
 * JSON columns as ingest stored them for host 0) into tables LIKE the real ones, indexes included.
 */
async function copyBaseline(url: string, fleet: Fleet, collectedAt: Date): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [sample] = (
      await client.query<{ certificates: unknown; events: unknown; findings: unknown }>(
        `SELECT r.certificates, r.events, r.findings FROM "Report" r JOIN "Host" h ON h.id = r."hostId"
         WHERE h.fqdn = $1`,
        [hostName(0)],
      )
    ).rows;
    if (!sample) throw new Error("host 0 has no stored report to copy");
    await client.query(`
      CREATE SCHEMA copy_baseline;
      CREATE TABLE copy_baseline."Host" (LIKE public."Host" INCLUDING DEFAULTS INCLUDING INDEXES);
      CREATE TABLE copy_baseline."Report" (LIKE public."Report" INCLUDING DEFAULTS INCLUDING INDEXES);`);
    const at = collectedAt.toISOString();
    const events = JSON.stringify(sample.events);
    const findings = JSON.stringify(sample.findings);
    const certificates = (i: number) =>
      JSON.stringify(sample.certificates).replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${i}"`);
    const started = performance.now();
    await copy(
      client,
      `COPY copy_baseline."Host" ("id", "fqdn", "role", "domainJoined", "primaryServer", "status",
      "lastReportAt", "lastReceivedAt", "updatedAt") FROM STDIN`,
      (i) => `${i + 1}\t${hostName(i)}\tAgent\tt\tms01.contoso.com\tok\t${at}\t${at}\t${at}\n`,
    );
    await copy(
      client,
      `COPY copy_baseline."Report" ("hostId", "collectedAt", "registrySerial", "status",
      "certificates", "events", "findings") FROM STDIN`,
      (i) =>
        `${i + 1}\t${at}\t${fleet.registryHex(i)}\tok\t${escapeCopy(certificates(i))}\t${escapeCopy(events)}\t${escapeCopy(findings)}\n`,
    );
    const seconds = (performance.now() - started) / 1000;
    await client.query("DROP SCHEMA copy_baseline CASCADE");
    return seconds;
  } finally {
    await client.end();
  }
}

async function copy(client: pg.Client, sql: string, line: (i: number) => string): Promise<void> {
  async function* lines() {
    let chunk = "";
    for (let i = 0; i < HOSTS; i++) {
      chunk += line(i);
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
}

/** COPY text format: backslash, tab and newline escaped. */
const escapeCopy = (value: string) =>
  value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
