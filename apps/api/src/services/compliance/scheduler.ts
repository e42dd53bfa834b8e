import type { HostFilter } from "@certfleet/contracts";
import type { FastifyInstance } from "fastify";
import { scheduledTitle } from "./schedules";
import { takeComplianceSnapshot } from "./snapshot";

/** The one queue that takes scheduled reports; every instance with jobs on works it. */
export const COMPLIANCE_QUEUE = "compliance-report";
/** pg-boss keys a cron schedule by queue name, so each report schedule has its own small queue. */
const SCHEDULE_QUEUE_PREFIX = "compliance-report-schedule-";
/** How often an instance picks up schedules another instance created (its jobs wait meanwhile). */
const RESYNC_INTERVAL_MS = 60_000;

export const scheduleQueueName = (id: number) => `${SCHEDULE_QUEUE_PREFIX}${id}`;

export interface ComplianceJob {
  scheduleId: number;
}

/**
 * Runs report schedules on pg-boss. A schedule's cron fires once per tick across all instances
 * (pg-boss), dropping a job in the schedule's queue; whichever instance fetches it forwards it to
 * `compliance-report` under the same job id (a duplicate forward is ignored), and the worker that
 * gets that job takes the report. Jobs wait in Postgres across restarts and retry with backoff.
 */
export class ComplianceScheduler {
  private readonly forwarding = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly app: FastifyInstance) {}

  /** During registration: the report worker (on every instance with jobs on). */
  define(): void {
    this.app.jobs.define<ComplianceJob>(COMPLIANCE_QUEUE, (job) => this.run(job.scheduleId), {
      retryLimit: 4,
      retryDelay: 60,
      retryBackoff: true,
      // A 200k-host report takes a while; a job expiring mid-run would run twice.
      expireInSeconds: 3_600,
    });
  }

  /** After ready: bring pg-boss in line with the schedules table, then keep checking. */
  async start(): Promise<void> {
    if (!this.app.jobs.enabled) return;
    await this.syncAll();
    this.timer = setInterval(() => {
      this.syncAll().catch((error: unknown) =>
        this.app.log.warn({ err: error }, "report schedule sync failed"),
      );
    }, RESYNC_INTERVAL_MS).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes the report of one schedule (the job handler). */
  async run(scheduleId: number): Promise<void> {
    const schedule = await this.app.db.reportSchedule.findUnique({ where: { id: scheduleId } });
    if (!schedule?.enabled) {
      this.app.log.info({ scheduleId }, "skipping report of a deleted or disabled schedule");
      return;
    }
    const clock = this.app.estateClock();
    await takeComplianceSnapshot(this.app.db, {
      title: scheduledTitle(schedule.name, schedule.timezone, clock.now),
      filter: schedule.filter as HostFilter,
      clock,
      actor: null,
      scheduleId,
    });
    await this.app.db.reportSchedule.update({ where: { id: scheduleId }, data: { lastRunAt: clock.now } });
  }

  /** After a schedule is created or changed on this instance. */
  async sync(schedule: { id: number; cron: string; timezone: string; enabled: boolean }): Promise<void> {
    if (!this.app.jobs.enabled) return;
    const boss = this.app.jobs.queue;
    const queue = scheduleQueueName(schedule.id);
    if (!(await boss.getQueue(queue))) {
      // Two instances may race to create it; whichever loses finds it made by the other.
      await boss
        .createQueue(queue, { name: queue, retryLimit: 5, retryDelay: 30, retryBackoff: true })
        .catch(async (error: unknown) => {
          if (!(await boss.getQueue(queue))) throw error;
        });
    }
    if (schedule.enabled) {
      await boss.schedule(queue, schedule.cron, { scheduleId: schedule.id }, { tz: schedule.timezone });
    } else {
      await boss.unschedule(queue);
    }
    await this.forward(schedule.id);
  }

  /** After a schedule is deleted: its cron, queue (and waiting jobs) go too. */
  async remove(id: number): Promise<void> {
    if (!this.app.jobs.enabled) return;
    const queue = scheduleQueueName(id);
    this.forwarding.delete(id);
    await this.app.jobs.queue.offWork(queue);
    await this.app.jobs.queue.deleteQueue(queue);
  }

  private async syncAll(): Promise<void> {
    const schedules = await this.app.db.reportSchedule.findMany();
    const known = new Set(schedules.map((schedule) => schedule.id));
    for (const schedule of schedules) await this.sync(schedule);
    // Schedules deleted while this instance was down, or by another instance.
    for (const queue of await this.app.jobs.queue.getQueues()) {
      if (!queue.name.startsWith(SCHEDULE_QUEUE_PREFIX)) continue;
      const id = Number(queue.name.slice(SCHEDULE_QUEUE_PREFIX.length));
      if (!known.has(id)) await this.remove(id);
    }
  }

  private async forward(id: number): Promise<void> {
    if (this.forwarding.has(id)) return;
    this.forwarding.add(id);
    const boss = this.app.jobs.queue;
    await boss.work<ComplianceJob>(
      scheduleQueueName(id),
      { batchSize: 1, pollingIntervalSeconds: 2 },
      async (jobs) => {
        for (const job of jobs) await boss.send(COMPLIANCE_QUEUE, { scheduleId: id }, { id: job.id });
      },
    );
  }
}
