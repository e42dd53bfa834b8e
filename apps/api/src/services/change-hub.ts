import type { StreamMessage } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import { CHANGE_CHANNEL } from "./change-events";
import type { EstateClock } from "./estate/filters";
import { hostItemsByIds } from "./estate/hosts";

export interface StreamClient {
  send: (message: StreamMessage) => void;
  /** Id of the last event this client has been sent (or told about in hello). */
  lastSent: number;
}

/** A client further behind than this refetches everything instead of replaying events. */
const MAX_REPLAY = 500;
const BATCH = 500;
const RETENTION_HOURS = 24;

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
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly changeListeners = new Set<() => void>();

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
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.listener?.end().catch(() => {});
    await this.draining;
  }

  /** Registers a client, first replaying what it missed since `since` (or telling it to resync). */
  async attach(client: StreamClient, since: number | undefined): Promise<() => void> {
    client.send({ type: "hello", lastEventId: this.lastId });
    client.lastSent = since ?? this.lastId;
    if (client.lastSent > this.lastId) client.lastSent = this.lastId; // a cursor from another database
    // Replay until caught up; no await between the check and add(), so no broadcast slips past.
    while (client.lastSent < this.lastId) {
      const missed = await this.countAfter(client.lastSent, this.lastId);
      if (missed > MAX_REPLAY) {
        client.send({ type: "resync", lastEventId: this.lastId });
        client.lastSent = this.lastId;
        break;
      }
      const { messages, lastEventId } = await this.messagesAfter(client.lastSent, this.lastId);
      for (const message of messages) this.deliver(client, message);
      client.lastSent = Math.max(client.lastSent, lastEventId);
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

  get clientCount(): number {
    return this.clients.size;
  }

  private async listen(attempt: number): Promise<void> {
    if (this.stopped) return;
    const listener = new pg.Client({ connectionString: this.databaseUrl });
    listener.on("notification", () => this.scheduleDrain());
    listener.on("error", (error) => {
      if (this.stopped) return; // our own shutdown closing the connection
      this.log.warn({ err: error }, "change listener lost its connection; reconnecting");
      this.listener = null;
      void listener.end().catch(() => {});
      this.reconnect(attempt + 1);
    });
    try {
      await listener.connect();
      await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (!this.initialised) {
        this.lastId = await this.headId();
        this.initialised = true;
      }
      this.listener = listener;
      // Anything committed while we were not listening.
      this.scheduleDrain();
    } catch (error) {
      this.log.warn({ err: error }, "change listener could not connect; retrying");
      await listener.end().catch(() => {});
      this.reconnect(attempt + 1);
    }
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
      .catch((error: unknown) => this.log.error({ err: error }, "pushing change events failed"))
      .finally(() => {
        this.draining = null;
        if (this.drainAgain && !this.stopped) {
          this.drainAgain = false;
          this.scheduleDrain();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { messages, lastEventId, complete } = await this.messagesAfter(this.lastId, null);
      if (lastEventId <= this.lastId) return;
      for (const listener of this.changeListeners) listener();
      for (const client of this.clients) {
        for (const message of messages) this.deliver(client, message);
        client.lastSent = Math.max(client.lastSent, lastEventId);
      }
      this.lastId = lastEventId;
      if (complete) return;
    }
  }

  private deliver(client: StreamClient, message: StreamMessage): void {
    if ((message.type !== "host.updated" && message.type !== "task.updated") || message.id <= client.lastSent)
      return;
    client.send(message);
    client.lastSent = message.id;
  }

  /** The events after `after` (one batch) as messages; lastEventId also covers events whose host is gone. */
  private async messagesAfter(
    after: number,
    upTo: number | null,
  ): Promise<{ messages: StreamMessage[]; lastEventId: number; complete: boolean }> {
    const events = await this.db.changeEvent.findMany({
      where: { id: { gt: BigInt(after), ...(upTo === null ? {} : { lte: BigInt(upTo) }) } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    const hosts = await hostItemsByIds(
      this.db,
      [...new Set(events.map((event) => event.hostId))],
      this.clock(),
    );
    const byId = new Map(hosts.map((host) => [host.id, host]));
    const messages = events.flatMap((event): StreamMessage[] => {
      const host = byId.get(event.hostId);
      if (!host) return [];
      const common = { id: Number(event.id), at: event.createdAt.toISOString() };
      return event.taskId === null
        ? [{ type: "host.updated", ...common, host }]
        : [{ type: "task.updated", ...common, taskId: event.taskId, hostFqdn: host.fqdn }];
    });
    const lastEventId = Number(events.at(-1)?.id ?? after);
    return { messages, lastEventId, complete: events.length < BATCH };
  }

  private async countAfter(after: number, upTo: number): Promise<number> {
    return this.db.changeEvent.count({ where: { id: { gt: BigInt(after), lte: BigInt(upTo) } } });
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
