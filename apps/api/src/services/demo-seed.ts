/**
 * Loads the demo estate (packages/demo) at start-up: every report goes through ingestReports, the path
 * collector batches take, so the demo shows exactly what real reports would. Runs once per database:
 * the Setting row `demo.seededAt` marks it done, and an advisory lock keeps several instances starting
 * together from loading it twice.
 */
import type { Report } from "@certfleet/contracts";
import type { Database, Prisma } from "@certfleet/db";
import {
  DEMO_TEMPLATE,
  DEMO_TEMPLATE_NAME,
  generateDemoEstate,
  loadOrCreateDemoCa,
  managementGroupSettings,
} from "@certfleet/demo";
import type { Config } from "../config";
import { CERTREQ_TEMPLATES_KEY } from "./certreq-settings";
import { ensureDemoAccounts } from "./demo-accounts";
import { assignDemoTasks } from "./demo-tasks";
import { type IngestSettings, ingestReports } from "./ingest";
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
  /** Batches of reports ingested at once. */
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

/** Batches in flight: one is evaluated in this process while Postgres writes the other. */
const DEFAULT_CONCURRENCY = 2;
/** Reports per batch (whole hosts, so a batch may run a few over). */
const BATCH_SIZE = 250;

export async function seedDemoEstate(
  db: Database,
  config: Config,
  settings: IngestSettings,
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
  settings: IngestSettings,
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
  // Before the reports: a group that needs no certificate (MG-BRANCH) must be known as such when its
  // agents' first reports are evaluated, or they would all start as errors until their next report.
  for (const group of managementGroupSettings()) {
    if (group.certificateAuthRequired === null) continue;
    await db.managementGroup.updateMany({
      where: { name: group.name },
      data: { certificateAuthRequired: group.certificateAuthRequired },
    });
  }
  const created = await ingestAll(
    db,
    estate.reports,
    settings,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    log,
  );
  const inventory = await registerExpectedHosts(db, estate.inventory);
  // The demo CA's template OID has a name, as an admin would set it; never over an admin's own choice.
  const templates = {
    defaultTemplateName: null,
    templateNamesByOid: { [DEMO_TEMPLATE.oid]: DEMO_TEMPLATE_NAME },
  };
  await db.setting.upsert({
    where: { key: CERTREQ_TEMPLATES_KEY },
    create: { key: CERTREQ_TEMPLATES_KEY, value: templates },
    update: {},
  });
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
 * Ingests the reports through the batch path, a few batches in flight. A host's reports are its history
 * and must land in collectedAt order, so all of one host's reports go in the same batch (the batch
 * applies them in that order).
 */
async function ingestAll(
  db: Database,
  reports: Report[],
  settings: IngestSettings,
  concurrency: number,
  log: (line: string) => void,
): Promise<number> {
  const progress = progressLog(log, "reports");
  const byHost = new Map<string, Report[]>();
  for (const report of reports)
    byHost.set(report.host.fqdn, [...(byHost.get(report.host.fqdn) ?? []), report]);
  const batches: Report[][] = [];
  let batch: Report[] = [];
  for (const hostReports of byHost.values()) {
    batch.push(...hostReports);
    if (batch.length >= BATCH_SIZE) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length) batches.push(batch);

  let next = 0;
  let done = 0;
  let created = 0;
  const worker = async () => {
    while (next < batches.length) {
      const reportsOfBatch = batches[next++] as Report[];
      const outcomes = await ingestReports(db, reportsOfBatch, settings, NO_TOKEN);
      for (const outcome of outcomes) {
        if (!outcome.ok) throw outcome.problem;
        if (outcome.outcome.created) created++;
      }
      done += reportsOfBatch.length;
      progress(done, reports.length);
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
