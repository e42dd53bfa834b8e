/**
 * Export benchmark at 200,000 hosts: GET /api/v1/hosts/export.csv and .xlsx over real HTTP on a real
 * Postgres, each body streamed to disk while counting, then checked against the host count.
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm bench:exports
 * The server runs in this process, so process.memoryUsage() sampled every 50 ms during an export
 * is the API's memory (plus this small streaming client); the peak minus the settled baseline
 * before the export is what the export cost. BENCH_HOSTS changes the size.
 */

import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import v8 from "node:v8";
import vm from "node:vm";
import { EXPORT_TOTAL_HEADER, type HostExportFormat } from "@certfleet/contracts";
import { parseCertificate } from "@certfleet/core";
import { createDatabaseClient, migrateDatabase } from "@certfleet/db";
import ExcelJS from "exceljs";
import pg from "pg";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { bootstrapAdmin } from "../src/services/users";
import { freePort } from "../test/support/global-setup";
import { createPki, issueCertificate } from "../test/support/reports";
import { loadEstateSql } from "./estate-sql";
import { provisionDatabase } from "./support";

const HOSTS = Number(process.env.BENCH_HOSTS ?? 200_000);
const SAMPLE_MS = 50;
const STALL_MS = 3_000;
const MB = 1024 * 1024;
const ADMIN = { email: "bench@certfleet.local", password: "bench-admin-password" };

// A settled baseline needs a full collection; tsx gives no --expose-gc, so switch it on here.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

async function main() {
  const database = await provisionDatabase();
  await migrateDatabase(database.url);
  const pki = await createPki();
  const template = await issueCertificate(pki, { fqdn: "template.contoso.com", serialHex: "1f00aa" });
  const der = Buffer.from(template.base64, "base64");
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const loadStart = performance.now();
  await loadEstateSql(client, HOSTS, parseCertificate(der), der);
  await client.end();
  console.log(`loaded ${HOSTS.toLocaleString()} hosts in ${seconds(performance.now() - loadStart)}`);

  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  const db = createDatabaseClient(database.url, config.databasePoolSize);
  const app = await buildApp({ config, db, databaseUrl: database.url });
  const port = await freePort();
  await app.listen({ host: "127.0.0.1", port });
  const base = `http://127.0.0.1:${port}`;
  await bootstrapAdmin(db, ADMIN, { mustChangePassword: false });
  const cookie = await signIn(base);
  const dir = await mkdtemp(path.join(tmpdir(), "certfleet-exports-"));
  try {
    for (const format of ["csv", "xlsx"] as const) {
      const file = path.join(dir, `hosts.${format}`);
      const result = await measure(() =>
        download(`${base}/api/v1/hosts/export.${format}`, cookie, file, format),
      );
      const rows = format === "csv" ? result.value.newlines - 1 : await countXlsxRows(file);
      const size = (await stat(file)).size;
      console.log(
        `GET /api/v1/hosts/export.${format}\n` +
          `  rows=${rows.toLocaleString()} (${rows === HOSTS ? "= host count" : `≠ ${HOSTS} hosts`}) ` +
          `${EXPORT_TOTAL_HEADER}=${result.value.total} size=${(size / MB).toFixed(1)} MB wall=${seconds(result.ms)}` +
          ` → ${Math.round(rows / (result.ms / 1000)).toLocaleString()} rows/s\n` +
          `  peak over baseline: rss +${(result.rss / MB).toFixed(1)} MB, heapUsed +${(result.heap / MB).toFixed(1)} MB` +
          ` (baseline rss ${(result.baseline.rss / MB).toFixed(0)} MB, heapUsed ${(result.baseline.heapUsed / MB).toFixed(0)} MB)`,
      );
      const stalled = await stalledClient(`${base}/api/v1/hosts/export.${format}`, cookie);
      console.log(
        `  client stalled ${seconds(STALL_MS)} after its first chunk: live heap +${(stalled.during / MB).toFixed(1)} MB;` +
          ` after cancelling: +${(stalled.after / MB).toFixed(1)} MB`,
      );
      if (rows !== HOSTS || result.value.total !== String(HOSTS)) process.exitCode = 1;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await app.close();
    await db.$disconnect();
    await database.drop();
  }
}

/**
 * Runs `work` while sampling memory every 50 ms; answers its value, wall time and peak growth over
 * the settled baseline. heapUsed includes garbage not yet collected (forcing collections here
 * would slow the export by a third); stalledClient measures what an export really holds on to.
 */
async function measure<T>(work: () => Promise<T>) {
  collectGarbage();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, SAMPLE_MS);
  const start = performance.now();
  try {
    const value = await work();
    return {
      value,
      ms: performance.now() - start,
      baseline,
      rss: peakRss - baseline.rss,
      heap: peakHeap - baseline.heapUsed,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * A client that reads one chunk and then stops reading: the server must stop producing (bounded
 * memory) rather than buffer the rest of the export, and a cancel must end it.
 */
async function stalledClient(url: string, cookie: string) {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const abort = new AbortController();
  const response = await fetch(url, { headers: { cookie }, signal: abort.signal });
  const reader = response.body?.getReader();
  await reader?.read();
  await new Promise((resolve) => setTimeout(resolve, STALL_MS));
  collectGarbage();
  const during = process.memoryUsage().heapUsed - before;
  abort.abort();
  await reader?.cancel().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 500));
  collectGarbage();
  return { during, after: process.memoryUsage().heapUsed - before };
}

/** Streams the body to `file`, counting newlines on the way (a CSV row is one line). */
async function download(url: string, cookie: string, file: string, format: HostExportFormat) {
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok || !response.body) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  const total = response.headers.get(EXPORT_TOTAL_HEADER);
  let newlines = 0;
  const counting = async function* (source: AsyncIterable<Uint8Array>) {
    for await (const chunk of source) {
      if (format === "csv")
        for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) newlines++;
      yield chunk;
    }
  };
  await pipeline(Readable.fromWeb(response.body), counting, createWriteStream(file));
  return { total, newlines };
}

/** Data rows of the saved workbook, read back with exceljs' streaming reader (the header excluded). */
async function countXlsxRows(file: string): Promise<number> {
  let rows = 0;
  for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {})) {
    for await (const _row of sheet) rows++;
  }
  return rows - 1;
}

async function signIn(base: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  if (!response.ok) throw new Error(`sign-in: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
