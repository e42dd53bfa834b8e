import type { Report } from "@certfleet/contracts";
import type { EvaluationSettings } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { type IngestItemOutcome, type IngestOutcome, ingestReports } from "./ingest";
import type { IngestContext } from "./ingest-context";

/** Reports written together at most; a collector batch is capped at 1,000 too. */
const MAX_GROUP = 200;
/** Groups in flight: one evaluated in this process while Postgres writes the other. */
const MAX_IN_FLIGHT = 2;

interface Waiting {
  report: Report;
  context: IngestContext;
  resolve: (outcome: IngestItemOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for single reports. Each statement costs ~0.4 ms of CPU in the database client whatever
 * it carries, so many collectors posting one report each are cheapest written together: a report that
 * arrives while groups are in flight waits for the next group (never for a timer), and a lone report
 * is written at once, alone. Outcomes are exactly those of the batch path; reports of one sender only
 * share a group (the context travels with them). If a group fails as a whole, each of its reports is
 * tried alone, so one report's failure never becomes its neighbours'.
 */
export class SingleReportQueue {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Database,
    private readonly settings: EvaluationSettings,
  ) {}

  async ingest(report: Report, context: IngestContext): Promise<IngestOutcome> {
    const outcome = await new Promise<IngestItemOutcome>((resolve, reject) => {
      this.waiting.push({ report, context, resolve, reject });
      this.drain();
    });
    if (!outcome.ok) throw outcome.problem;
    return outcome.outcome;
  }

  private drain(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  /** The oldest waiting report and up to MAX_GROUP - 1 more from the same sender, in arrival order. */
  private takeGroup(): Waiting[] {
    const first = this.waiting[0] as Waiting;
    const sender = first.context.token?.id ?? null;
    const group: Waiting[] = [];
    for (let i = 0; i < this.waiting.length && group.length < MAX_GROUP; ) {
      const candidate = this.waiting[i] as Waiting;
      if ((candidate.context.token?.id ?? null) === sender) {
        group.push(candidate);
        this.waiting.splice(i, 1);
      } else i++;
    }
    return group;
  }

  private async write(group: Waiting[]): Promise<void> {
    const context = (group[0] as Waiting).context;
    try {
      const outcomes = await ingestReports(
        this.db,
        group.map((item) => item.report),
        this.settings,
        context,
      );
      for (const [i, item] of group.entries()) item.resolve(outcomes[i] as IngestItemOutcome);
    } catch (error) {
      if (group.length === 1) {
        (group[0] as Waiting).reject(error);
        return;
      }
      for (const item of group) {
        try {
          const [outcome] = await ingestReports(this.db, [item.report], this.settings, item.context);
          item.resolve(outcome as IngestItemOutcome);
        } catch (alone) {
          item.reject(alone);
        }
      }
    }
  }
}
