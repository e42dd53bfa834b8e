import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import pg from "pg";
import PgBoss from "pg-boss";

/** Arbitrary, fixed: every certfleet instance must agree on it ("cfjobs" in ASCII). */
const JOBS_SETUP_LOCK = 0x63666a6f6273;

async function withAdvisoryLock(
  connectionString: string,
  key: number,
  work: () => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ connectionString });
  // A connection lost while idle between the statements below would otherwise end the process;
  // the next statement fails with it instead.
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => {});
    await client.end();
  }
}

export type JobHandler<T> = (data: T, job: { id: string; name: string }) => Promise<void>;

interface Definition {
  name: string;
  handler: JobHandler<never>;
  options: Omit<PgBoss.Queue, "name">;
}

/**
 * The Postgres-backed job queue (pg-boss, its own `pgboss` schema in the same database), so work
 * survives restarts, retries with backoff, and runs once even with several API instances: pg-boss
 * hands each job to one worker (SKIP LOCKED) and fires each cron schedule once per tick.
 *
 * Plugins `define` their queues while the app is built; the queue starts on ready. With
 * CERTFLEET_JOBS=false this instance neither runs workers nor accepts jobs (`enabled` is false).
 */
export class JobQueue {
  private readonly definitions: Definition[] = [];
  private boss: PgBoss | null = null;

  constructor(
    private readonly connectionString: string,
    readonly enabled: boolean,
    private readonly log: FastifyInstance["log"],
  ) {}

  define<T>(name: string, handler: JobHandler<T>, options: Omit<PgBoss.Queue, "name"> = {}): void {
    this.definitions.push({ name, handler: handler as JobHandler<never>, options });
  }

  async start(): Promise<void> {
    if (!this.enabled) return;
    const boss = new PgBoss({ connectionString: this.connectionString, schema: "pgboss", max: 4 });
    boss.on("error", (error) => this.log.error({ err: error }, "job queue error"));
    // Instances starting together would deadlock creating the same queues: one at a time.
    await withAdvisoryLock(this.connectionString, JOBS_SETUP_LOCK, async () => {
      await boss.start();
      for (const { name, options } of this.definitions) {
        if (await boss.getQueue(name)) continue;
        await boss.createQueue(name, { name, retryLimit: 5, retryDelay: 30, retryBackoff: true, ...options });
      }
    });
    for (const { name, handler } of this.definitions) {
      await boss.work<unknown>(name, { batchSize: 1 }, async (jobs) => {
        for (const job of jobs)
          await (handler as JobHandler<unknown>)(job.data, { id: job.id, name: job.name });
      });
    }
    this.boss = boss;
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
    this.boss = null;
  }

  /** The running pg-boss, for sending and scheduling; throws when jobs are off on this instance. */
  get queue(): PgBoss {
    if (!this.boss) throw new Error("the job queue is not running (CERTFLEET_JOBS=false, or not ready yet)");
    return this.boss;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    jobs: JobQueue;
  }
}

export default fp(
  async function jobsPlugin(app: FastifyInstance, options: { databaseUrl: string }) {
    const jobs = new JobQueue(options.databaseUrl, app.config.jobs, app.log);
    app.decorate("jobs", jobs);
    app.addHook("onReady", () => jobs.start());
    app.addHook("onClose", () => jobs.stop());
  },
  { name: "jobs", dependencies: ["context"] },
);
