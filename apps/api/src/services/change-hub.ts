import type { StreamMessage } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import { CHANGE_CHANNEL, TOKEN_CHANNEL } from "./change-events";
import type { EstateClock } from "./estate/filters";
import { hostItemsByIds } from "./estate/hosts";
import { rawQueries } from "./raw-sql";

/**
 * A message serialised once and sent as is to every client it concerns: with hundreds of browsers
 * attached, one JSON.stringify and one UTF-8 encoding per event rather than one per client.
 */
export interface StreamFrame {
  /** The event's id (host.updated, task.updated); null for hello and resync. */
  eventId: number | null;
  data: Buffer;
}

export function streamFrame(message: StreamMessage): StreamFrame {
  const eventId = message.type === "host.updated" || message.type === "task.updated" ? message.id : null;
  return { eventId, data: Buffer.from(JSON.stringify(message)) };
}

export interface StreamClient {
  send: (frame: StreamFrame) => void;
  /** Id of the last event this client has been sent (or told about in hello). */
  lastSent: number;
}

interface ChangeEventRow {
  id: bigint;
  createdAt: Date;
  hostId: number;
  taskId: number | null;
}

/** A client further behind than this refetches everything instead of replaying events. */
const MAX_REPLAY = 500;
const BATCH = 500;
const RETENTION_HOURS = 24;
/** Lost notifications (a listener reconnecting, a NOTIFY dropped with a dying connection) are caught up this often. */
const CATCH_UP_MS = 5_000;
/** How soon a drain stopped at a missing id looks again (its owner usually commits within milliseconds). */
const GAP_RETRY_MS = 100;

/**
 * Fans change events out to this instance's WebSocket clients. Every instance LISTENs on one
 * channel; a NOTIFY (sent when an ingest commits, whichever instance took it) makes each read
 * the new ChangeEvent rows once and push them to its own clients, so several instances behind
 * one database behave like one.
 */
export class ChangeHub {
  private readonly clients = new Set<StreamClient>();
  private lastId = 0;
  /** Set once we know the head id: events before it are history, not news. */
  private initialised = false;
  private listener: pg.Client | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  /** The first missing id the drain stopped at, and the transactions running when it was seen. */
  private pendingGap: { from: number; snapshot: string } | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly changeListeners = new Set<() => void>();
  private readonly tokenListeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly databaseUrl: string,
    private readonly clock: () => EstateClock,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts listening; never fails the app: with the database down it keeps retrying. */
  async start(): Promise<void> {
    await this.listen(0);
    this.timers.push(setInterval(() => void this.prune(), 10 * 60_000).unref());
    this.timers.push(
      setInterval(() => {
        if (this.initialised) this.scheduleDrain();
      }, CATCH_UP_MS).unref(),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    await this.listener?.end().catch(() => {});
    await this.draining;
  }

  /** Registers a client, first replaying what it missed since `since` (or telling it to resync). */
  async attach(client: StreamClient, since: number | undefined): Promise<() => void> {
    client.send(streamFrame({ type: "hello", lastEventId: this.lastId }));
    client.lastSent = since ?? this.lastId;
    if (client.lastSent > this.lastId) client.lastSent = this.lastId; // a cursor from another database
    // Replay until caught up; no await between the check and add(), so no broadcast slips past.
    while (client.lastSent < this.lastId) {
      if (!(await this.canReplay(client.lastSent, this.lastId))) {
        client.send(streamFrame({ type: "resync", lastEventId: this.lastId }));
        client.lastSent = this.lastId;
        break;
      }
      // Only up to lastId: beyond it ids may still be filled by transactions in flight.
      const upTo = this.lastId;
      const events = await this.readEvents(client.lastSent, upTo);
      for (const frame of await this.toFrames(events)) this.deliver(client, frame);
      client.lastSent = events.length < BATCH ? upTo : Number(events.at(-1)?.id ?? upTo);
    }
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  /**
   * Called when this instance learns of new changes, before it pushes them to its clients, so a cache
   * dropped here is never served to a browser refetching because of the push.
   */
  onChanges(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Called when any instance changed collector tokens (TOKEN_CHANNEL), and whenever the listener
   * (re)connects, since a notification sent while it was away is lost.
   */
  onTokensChanged(listener: () => void): () => void {
    this.tokenListeners.add(listener);
    return () => this.tokenListeners.delete(listener);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private async listen(attempt: number): Promise<void> {
    if (this.stopped) return;
    // Keepalive: a database host that vanished without closing the socket is noticed in ~30 s
    // rather than never (a LISTEN connection otherwise sends nothing and waits forever).
    const listener = new pg.Client({
      connectionString: this.databaseUrl,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5_000,
    });
    let lost = false;
    const onLost = (error: unknown) => {
      if (this.stopped || lost) return; // our own shutdown, or already handled
      lost = true;
      this.log.warn({ err: error }, "change listener lost its connection; reconnecting");
      if (this.listener === listener) this.listener = null;
      void listener.end().catch(() => {});
      this.reconnect(1);
    };
    listener.on("notification", (message) => {
      if (message.channel === TOKEN_CHANNEL) this.tokensChanged();
      else this.scheduleDrain();
    });
    listener.on("error", onLost);
    listener.on("end", () => onLost(new Error("connection ended")));
    try {
      await listener.connect();
      await listener.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${TOKEN_CHANNEL}`);
      if (!this.initialised) {
        this.lastId = await this.headId();
        this.initialised = true;
      }
      if (lost || this.stopped) return;
      this.listener = listener;
      // Anything committed while we were not listening.
      this.tokensChanged();
      this.scheduleDrain();
    } catch (error) {
      if (lost) return;
      lost = true;
      this.log.warn({ err: error }, "change listener could not connect; retrying");
      await listener.end().catch(() => {});
      this.reconnect(attempt + 1);
    }
  }

  private tokensChanged(): void {
    for (const listener of this.tokenListeners) listener();
  }

  private reconnect(attempt: number): void {
    if (this.stopped) return;
    const delay = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6));
    this.timers.push(setTimeout(() => void this.listen(attempt), delay).unref());
  }

  /** Coalesces notifications: one drain at a time, and one more if more arrived meanwhile. */
  private scheduleDrain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) =>
        this.log.warn({ err: error }, "pushing change events failed; the next catch-up retries"),
      )
      .finally(() => {
        this.draining = null;
        if (this.drainAgain && !this.stopped) {
          this.drainAgain = false;
          this.scheduleDrain();
        }
      });
  }

  /**
   * Pushes every event after lastId, in id order, each exactly once. Ids are drawn from a sequence
   * before commit, so a later id can become visible first; lastId only ever moves over ids that
   * are delivered or known to be gone (ADR 0004): at a missing id the drain stops and notes the
   * transactions running at that moment (a snapshot); once all of those have finished, a still
   * missing id was rolled back (or lost to a crash) and is skipped. The owner's own NOTIFY
   * normally fills the gap within milliseconds; a short retry timer covers rollbacks.
   */
  private async drain(): Promise<void> {
    for (;;) {
      // Checked before reading: an owner that finished by now has its event in the read below.
      const gap = this.pendingGap;
      const gapSettled = gap !== null && gap.from === this.lastId + 1 && (await this.finished(gap.snapshot));
      const events = await this.readEvents(this.lastId, null);
      const first = events[0];
      if (!first) return;
      if (Number(first.id) !== this.lastId + 1) {
        if (gapSettled) {
          this.lastId = Number(first.id) - 1; // the missing ids will never commit
          this.pendingGap = null;
          continue;
        }
        if (gap === null || gap.from !== this.lastId + 1)
          this.pendingGap = { from: this.lastId + 1, snapshot: await this.currentSnapshot() };
        this.retryGapSoon();
        return;
      }
      let end = 0;
      while (end < events.length && Number(events[end]?.id) === this.lastId + 1 + end) end++;
      const ready = events.slice(0, end);
      const lastEventId = Number(ready.at(-1)?.id ?? this.lastId);
      // With no client attached the host rows are not read (a query per 500 events: ~7% of Postgres's
      // statement time in steady-state ingest). No await on that path, so no client can attach in
      // between; one attaching meanwhile replays from lastId in attach() itself.
      const frames = this.clients.size > 0 ? await this.toFrames(ready) : [];
      for (const listener of this.changeListeners) listener();
      for (const client of this.clients) {
        for (const frame of frames) this.deliver(client, frame);
        client.lastSent = Math.max(client.lastSent, lastEventId);
      }
      this.lastId = lastEventId;
      this.pendingGap = null;
      if (end === events.length && events.length < BATCH) return;
    }
  }

  private retryGapSoon(): void {
    if (this.gapTimer || this.stopped) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      this.scheduleDrain();
    }, GAP_RETRY_MS).unref();
  }

  /** Whether every transaction running when `snapshot` was taken has committed or rolled back. */
  private async finished(snapshot: string): Promise<boolean> {
    const [row] = await this.db.$queryRaw<{ finished: boolean }[]>`
      SELECT coalesce(bool_and(pg_visible_in_snapshot(running, pg_current_snapshot())), true) AS finished
      FROM pg_snapshot_xip(${snapshot}::pg_snapshot) AS running`;
    return row?.finished ?? false;
  }

  private async currentSnapshot(): Promise<string> {
    const [row] = await this.db.$queryRaw<
      { snapshot: string }[]
    >`SELECT pg_current_snapshot()::text AS snapshot`;
    if (!row) throw new Error("pg_current_snapshot() returned no row");
    return row.snapshot;
  }

  private deliver(client: StreamClient, frame: StreamFrame): void {
    if (frame.eventId === null || frame.eventId <= client.lastSent) return;
    client.send(frame);
    client.lastSent = frame.eventId;
  }

  /**
   * One batch of events after `after` (up to `upTo` when given), in id order. Raw SQL on the pool: this
   * runs after every ingest commit, and as a typed Prisma query it cost ~1 ms of CPU each time.
   */
  private readEvents(after: number, upTo: number | null): Promise<ChangeEventRow[]> {
    const sql = rawQueries(this.db);
    return upTo === null
      ? sql.$queryRaw<ChangeEventRow[]>`
          SELECT "id", "createdAt", "hostId", "taskId" FROM "ChangeEvent"
          WHERE "id" > ${after}::bigint ORDER BY "id" LIMIT ${BATCH}`
      : sql.$queryRaw<ChangeEventRow[]>`
          SELECT "id", "createdAt", "hostId", "taskId" FROM "ChangeEvent"
          WHERE "id" > ${after}::bigint AND "id" <= ${upTo}::bigint ORDER BY "id" LIMIT ${BATCH}`;
  }

  /** Events as stream frames, each serialised once (an event whose host is gone has none). */
  private async toFrames(events: ChangeEventRow[]): Promise<StreamFrame[]> {
    const hosts = await hostItemsByIds(
      this.db,
      [...new Set(events.map((event) => event.hostId))],
      this.clock(),
    );
    const byId = new Map(hosts.map((host) => [host.id, host]));
    return events
      .flatMap((event): StreamMessage[] => {
        const host = byId.get(event.hostId);
        if (!host) return [];
        const common = { id: Number(event.id), at: event.createdAt.toISOString() };
        return event.taskId === null
          ? [{ type: "host.updated", ...common, host }]
          : [{ type: "task.updated", ...common, taskId: event.taskId, hostFqdn: host.fqdn }];
      })
      .map(streamFrame);
  }

  /**
   * Whether the events in (after, upTo] can be replayed: at most MAX_REPLAY of them, and none pruned.
   * The count stops at MAX_REPLAY + 1 rows, so a client asking from far back (since=0 on a day of
   * events) costs a short index scan, not a count of the whole table. Events older than the oldest
   * kept one are gone (pruned after a day): such a client must refetch, not get a replay with a hole.
   */
  private async canReplay(after: number, upTo: number): Promise<boolean> {
    const [row] = await this.db.$queryRaw<{ missed: number; oldest: bigint | null }[]>`
      SELECT
        (SELECT count(*)::int FROM (
           SELECT 1 FROM "ChangeEvent" WHERE "id" > ${after}::bigint AND "id" <= ${upTo}::bigint
           ORDER BY "id" LIMIT ${MAX_REPLAY + 1}) AS recent) AS missed,
        (SELECT min("id") FROM "ChangeEvent") AS oldest`;
    if (!row || row.missed > MAX_REPLAY) return false;
    // A missing run right after `after` may also be rolled-back ids; resyncing then costs one refetch.
    return row.oldest === null ? false : Number(row.oldest) <= after + 1;
  }

  private async headId(): Promise<number> {
    const head = await this.db.changeEvent.aggregate({ _max: { id: true } });
    return Number(head._max.id ?? 0);
  }

  /** Events are for reconnecting browsers, not history (Report is the history): keep a day. */
  private async prune(): Promise<void> {
    const cutoff = new Date(Date.now() - RETENTION_HOURS * 3_600_000);
    await this.db.changeEvent.deleteMany({ where: { createdAt: { lt: cutoff } } }).catch((error: unknown) => {
      this.log.warn({ err: error }, "pruning change events failed");
    });
  }
}
