import type { Report } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import { type IngestItemOutcome, type IngestOutcome, type IngestSettings, ingestReports } from "./ingest";
import type { IngestContext } from "./ingest-context";

/** Reports written together at most; a collector batch is capped at 1,000 too. */
const MAX_GROUP = 200;
/**
 * Groups in flight at once, of different senders: one sender's reports are written one group at a time
 * (see SingleReportQueue), so this only bounds how many senders' groups share the pool at once.
 */
const MAX_IN_FLIGHT = 3;
/** The longest a report waits for others of its sender to join its group when nothing of theirs is in flight. */
const GATHER_MS = 5;
/** A sender whose last group carried n reports: its next group waits (at most GATHER_MS) for this share of n. */
const GATHER_SHARE = 0.8;

type Sender = number | null;

interface Waiting {
  /** performance.now() when it arrived. */
  at: number;
  report: Report;
  context: IngestContext;
  resolve: (outcome: IngestItemOutcome) => void;
  reject: (error: unknown) => void;
}

const senderOf = (item: Waiting): Sender => item.context.token?.id ?? null;

/**
 * Group commit for single reports. A group costs about a dozen statements whatever it carries, so many
 * collectors posting one report each are cheapest written together. Reports of one sender only share a
 * group (the context travels with them), and a sender has one group in flight at a time: reports that
 * arrive meanwhile make up its next group, started the moment the first is written. With two in flight
 * (before), closed-loop collectors fell into groups of 1 and 48 alternately, each costing a full round
 * of statements (bench row (c): median group 4 reports, Postgres 0.7 ms of CPU per report; one at a time:
 * ~24 and ~0.45 ms). When nothing of the sender is in flight, a report waits at most GATHER_MS for as
 * many as the sender's last group carried (they are usually on their way back); a lone sender's report
 * is written at once. Outcomes are exactly those of the batch path. If a group fails as a whole, each
 * of its reports is tried alone, so one report's failure never becomes its neighbours'.
 */
export class SingleReportQueue {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  /** Senders with a group in flight. */
  private readonly busy = new Set<Sender>();
  /** Reports to gather before a sender's next group starts (absent: 1, start at once). */
  private readonly expected = new Map<Sender, number>();
  private gatherTimer: { at: number; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly db: Database,
    private readonly settings: IngestSettings,
  ) {}

  async ingest(report: Report, context: IngestContext): Promise<IngestOutcome> {
    const outcome = await new Promise<IngestItemOutcome>((resolve, reject) => {
      this.waiting.push({ at: performance.now(), report, context, resolve, reject });
      this.drain();
    });
    if (!outcome.ok) throw outcome.problem;
    return outcome.outcome;
  }

  /** Starts a group for every idle sender whose reports are ready, oldest first; arms the gather timer for the rest. */
  private drain(): void {
    const now = performance.now();
    const counts = new Map<Sender, number>();
    for (const item of this.waiting) counts.set(senderOf(item), (counts.get(senderOf(item)) ?? 0) + 1);
    let nextDeadline = Number.POSITIVE_INFINITY;
    const considered = new Set<Sender>();
    for (let i = 0; i < this.waiting.length && this.inFlight < MAX_IN_FLIGHT; i++) {
      const oldest = this.waiting[i] as Waiting;
      const sender = senderOf(oldest);
      if (this.busy.has(sender) || considered.has(sender)) continue;
      considered.add(sender);
      const deadline = oldest.at + GATHER_MS;
      if ((counts.get(sender) ?? 0) < (this.expected.get(sender) ?? 1) && now < deadline) {
        nextDeadline = Math.min(nextDeadline, deadline);
        continue;
      }
      this.start(this.takeGroup(sender));
      i = -1; // takeGroup removed entries; look again from the oldest (considered senders are skipped)
    }
    this.armGatherTimer(nextDeadline);
  }

  private start(group: Waiting[]): void {
    const sender = senderOf(group[0] as Waiting);
    this.busy.add(sender);
    this.inFlight++;
    void this.write(group).finally(() => {
      this.inFlight--;
      this.busy.delete(sender);
      const expected = Math.floor(group.length * GATHER_SHARE);
      if (expected > 1) this.expected.set(sender, expected);
      else this.expected.delete(sender);
      this.drain();
    });
  }

  private armGatherTimer(deadline: number): void {
    if (!Number.isFinite(deadline)) return;
    if (this.gatherTimer && this.gatherTimer.at <= deadline) return;
    if (this.gatherTimer) clearTimeout(this.gatherTimer.timer);
    const timer = setTimeout(
      () => {
        this.gatherTimer = null;
        this.drain();
      },
      Math.max(0, deadline - performance.now()),
    );
    this.gatherTimer = { at: deadline, timer };
  }

  /** Up to MAX_GROUP waiting reports of `sender`, in arrival order. */
  private takeGroup(sender: Sender): Waiting[] {
    const group: Waiting[] = [];
    for (let i = 0; i < this.waiting.length && group.length < MAX_GROUP; ) {
      const candidate = this.waiting[i] as Waiting;
      if (senderOf(candidate) === sender) {
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
