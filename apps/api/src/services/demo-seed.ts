/**
 * Loads the demo estate (packages/demo) at start-up: every report goes through ingestReport, the path
 * collector posts take, so the demo shows exactly what real reports would. Runs once per database:
 * the Setting row `demo.seededAt` marks it done, and an advisory lock keeps several instances starting
 * together from loading it twice.
 */
import type { Report } from "@certfleet/contracts";
import type { EvaluationSettings } from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";
import { generateDemoEstate, loadOrCreateDemoCa } from "@certfleet/demo";
import type { Config } from "../config";
import { ensureDemoAccounts } from "./demo-accounts";
import { assignDemoTasks } from "./demo-tasks";
import { ingestReport } from "./ingest";
import { NO_TOKEN } from "./ingest-context";
import { registerExpectedHosts } from "./inventory";

export const DEMO_SEEDED_KEY = "demo.seededAt";
/** The `now` a started seed uses, kept so an interrupted seed resumes with the same reports. */
export const DEMO_STARTED_KEY = "demo.seedStartedAt";
/** Arbitrary, fixed: every certfleet instance must agree on it ("cfdemo" in ASCII). */
const DEMO_LOCK_ID = 0x636664656d6fn;

export interface DemoSeedOptions {
  /** Default: the clock (or, when resuming an interrupted seed, the time that seed started). */
  now?: Date;
  /** Agents in the estate (default 3,000). */
  agents?: number;
  /** Reports ingested at once. */
  concurrency?: number;
}

export interface DemoSeedResult {
  skipped: boolean;
  reports: number;
  /** Reports actually stored (a resumed seed skips those stored before). */
  created: number;
  hosts: number;
  neverReported: number;
  seconds: number;
}

/** Measured on 2 cores: 4 in flight keeps both the API process and Postgres busy; more only queues. */
const DEFAULT_CONCURRENCY = 4;

export async function seedDemoEstate(
  db: Database,
  config: Config,
  settings: EvaluationSettings,
  log: (line: string) => void,
  options: DemoSeedOptions = {},
): Promise<DemoSeedResult> {
  // The lock lives in a transaction that only holds it; the work itself commits report by report.
  return db.$transaction(
    async (lock) => {
      await lock.$executeRaw`SELECT pg_advisory_xact_lock(${DEMO_LOCK_ID})`;
      const done = await lock.setting.findUnique({ where: { key: DEMO_SEEDED_KEY } });
      if (done) {
        log("demo estate already loaded");
        return { skipped: true, reports: 0, created: 0, hosts: 0, neverReported: 0, seconds: 0 };
      }
      const result = await load(db, config, settings, log, options);
      const value = { at: new Date().toISOString(), ...result } as unknown as Prisma.InputJsonValue;
      await lock.setting.create({ data: { key: DEMO_SEEDED_KEY, value } });
      return result;
    },
    // A cold seed takes tens of seconds on 2 cores; another instance waits for it, then skips.
    { timeout: 15 * 60_000, maxWait: 60_000 },
  );
}

async function load(
  db: Database,
  config: Config,
  settings: EvaluationSettings,
  log: (line: string) => void,
  options: DemoSeedOptions,
): Promise<DemoSeedResult> {
  const started = performance.now();
  const now = options.now ?? (await startedAt(db)) ?? new Date();
  await db.setting.upsert({
    where: { key: DEMO_STARTED_KEY },
    create: { key: DEMO_STARTED_KEY, value: now.toISOString() },
    update: {},
  });
  const { issuer, file, created: newCa } = await loadOrCreateDemoCa(config.dataDir, now);
  log(`demo estate: ${newCa ? "created" : "using"} the demo CA in ${file}`);

  const progress = progressLog(log, "certificates issued");
  const estate = await generateDemoEstate({ now, ca: issuer, agents: options.agents, onIssued: progress });
  const generated = performance.now();

  // Groups first, so the first reports (several in flight) do not all start by creating them.
  const groups = [...new Set(estate.inventory.map((host) => host.managementGroup))];
  await db.managementGroup.createMany({ data: groups.map((name) => ({ name })), skipDuplicates: true });
  const created = await ingestAll(
    db,
    estate.reports,
    settings,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    log,
  );
  const inventory = await registerExpectedHosts(db, estate.inventory);
  // The reports opened renewal tasks as real ones would; the demo accounts then pick some up.
  await ensureDemoAccounts(db);
  const assigned = await assignDemoTasks(db);
  const tasks = await db.renewalTask.count();
  log(
    `demo estate: ${format(tasks)} renewal tasks opened by the reports, ${assigned} assigned to the demo operator`,
  );
  const seconds = (performance.now() - started) / 1000;
  log(
    `demo estate loaded: ${format(estate.plan.hosts.length)} hosts (${inventory.created} expected but never reported), ` +
      `${format(estate.reports.length)} reports in ${seconds.toFixed(1)} s ` +
      `(certificates ${((generated - started) / 1000).toFixed(1)} s, ingest ${((performance.now() - generated) / 1000).toFixed(1)} s)`,
  );
  return {
    skipped: false,
    reports: estate.reports.length,
    created,
    hosts: estate.plan.hosts.length,
    neverReported: inventory.created,
    seconds,
  };
}

async function startedAt(db: Database): Promise<Date | null> {
  const row = await db.setting.findUnique({ where: { key: DEMO_STARTED_KEY } });
  return typeof row?.value === "string" ? new Date(row.value) : null;
}

/**
 * Ingests reports with a few in flight, but never two of one host at once: a host's reports are its
 * history and must land in collectedAt order (the list is sorted oldest first).
 */
async function ingestAll(
  db: Database,
  reports: Report[],
  settings: EvaluationSettings,
  concurrency: number,
  log: (line: string) => void,
): Promise<number> {
  const progress = progressLog(log, "reports");
  const pending = new Map<string, Promise<unknown>>();
  let next = 0;
  let done = 0;
  let created = 0;
  const worker = async () => {
    while (next < reports.length) {
      const report = reports[next++] as Report;
      const fqdn = report.host.fqdn;
      const before = pending.get(fqdn);
      const run = (before ?? Promise.resolve()).then(() => ingestReport(db, report, settings, NO_TOKEN));
      pending.set(fqdn, run);
      const outcome = await run;
      if (pending.get(fqdn) === run) pending.delete(fqdn);
      if (outcome.created) created++;
      progress(++done, reports.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return created;
}

const format = (n: number): string => n.toLocaleString("en-US");

/** "demo estate: 1,520/3,214 reports (47%)", at every 10%. */
function progressLog(log: (line: string) => void, what: string): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const tenth = Math.floor((done / total) * 10);
    if (tenth === shown) return;
    shown = tenth;
    if (tenth === 0) return;
    log(`demo estate: ${format(done)}/${format(total)} ${what} (${Math.floor((done / total) * 100)}%)`);
  };
}
