import { STREAM_CLOSE, STREAM_RESYNC_REASON, type UserRole } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import type { FastifyBaseLogger } from "fastify";
import type { WebSocket } from "ws";
import { isSessionIdle } from "./auth/sessions";
import type { StreamFrame } from "./change-hub";

/** Bounds of the live stream on one API instance (buildApp's `stream` option overrides them in tests). */
export interface StreamLimits {
  /** Ping every connection this often; one that has not answered the previous ping is cut. */
  heartbeatMs: number;
  /** A connection whose unsent data (ws bufferedAmount) would pass this is closed with 1013. */
  maxBufferedBytes: number;
  /** Streams one signed-in session may hold at once (one per browser tab); more get HTTP 429. */
  maxPerSession: number;
  /** Streams this instance holds at once; more get HTTP 503 (CERTFLEET_STREAM_MAX_CONNECTIONS). */
  maxPerInstance: number;
  /** CERTFLEET_SESSION_IDLE_MINUTES: a session unused this long ends, its streams with it. */
  sessionIdleMinutes: number;
}

export const DEFAULT_STREAM_LIMITS: Omit<StreamLimits, "maxPerInstance" | "sessionIdleMinutes"> = {
  heartbeatMs: 25_000,
  // ~1,500 host rows: several full drains of a 1,000-report batch; a reader that far behind is stuck.
  maxBufferedBytes: 1024 * 1024,
  maxPerSession: 16,
};

/** What a session looked like when its stream opened: a change to any of it ends the stream. */
export interface StreamSession {
  id: string;
  userId: number;
  role: UserRole;
}

interface Connection {
  socket: WebSocket;
  session: StreamSession;
  /** Answered the last ping (or was opened since). */
  alive: boolean;
  /** Stops the hub pushing to this connection. */
  detach: () => void;
}

export type Admission = { ok: true } | { ok: false; status: 429 | 503; detail: string };

/**
 * The stream connections of one instance: admission against the caps, a bounded send buffer per
 * connection, and one heartbeat for all of them that pings (cutting those that missed the last
 * pong) and re-reads every open session in one query (a session signed out, expired, disabled or
 * given another role closes its streams with 4401).
 */
export class StreamConnections {
  private readonly connections = new Set<Connection>();
  private readonly perSession = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly db: Database,
    readonly limits: StreamLimits,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.heartbeat(), this.limits.heartbeatMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get size(): number {
    return this.connections.size;
  }

  /** Checked before the upgrade, so a refused client gets a plain HTTP status with Retry-After. */
  admit(sessionId: string): Admission {
    if (this.connections.size >= this.limits.maxPerInstance)
      return {
        ok: false,
        status: 503,
        detail: `This API instance holds its maximum of ${this.limits.maxPerInstance} live streams; retry shortly.`,
      };
    if ((this.perSession.get(sessionId) ?? 0) >= this.limits.maxPerSession)
      return {
        ok: false,
        status: 429,
        detail: `This session already holds ${this.limits.maxPerSession} live streams (one per tab); close a tab.`,
      };
    return { ok: true };
  }

  /**
   * Registers an open socket; returns its `send`, which drops the connection with 1013 instead of
   * queueing past the buffer bound (the client must then resync: it missed events).
   */
  add(
    socket: WebSocket,
    session: StreamSession,
  ): { send: (frame: StreamFrame) => void; connection: Connection } {
    const connection: Connection = { socket, session, alive: true, detach: () => {} };
    this.connections.add(connection);
    this.perSession.set(session.id, (this.perSession.get(session.id) ?? 0) + 1);
    socket.on("pong", () => {
      connection.alive = true;
    });
    socket.once("close", () => this.remove(connection));
    const send = (frame: StreamFrame) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount + frame.data.length > this.limits.maxBufferedBytes) {
        this.log.info({ userId: session.userId }, "live stream client fell behind; closing it with 1013");
        // The close frame queues behind the unread data: a reader that wakes up gets everything sent
        // so far, then this reason; one that never does is cut by ws's close timeout (30 s).
        this.close(connection, STREAM_CLOSE.fellBehind, `${STREAM_RESYNC_REASON}: client fell behind`);
        return;
      }
      // A Buffer as a text frame: ws sends the bytes as they are, no per-client encoding.
      socket.send(frame.data, { binary: false });
    };
    return { send, connection };
  }

  /** Closes the connection and stops pushing to it at once. */
  close(connection: Connection, code: number, reason: string): void {
    connection.detach();
    connection.detach = () => {};
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.close(code, reason);
  }

  private remove(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    connection.detach();
    const left = (this.perSession.get(connection.session.id) ?? 1) - 1;
    if (left > 0) this.perSession.set(connection.session.id, left);
    else this.perSession.delete(connection.session.id);
  }

  /** One tick for every connection: cut the silent, ping the rest, re-check the sessions. */
  async heartbeat(): Promise<void> {
    for (const connection of this.connections) {
      const { socket } = connection;
      if (socket.readyState !== socket.OPEN) continue;
      if (!connection.alive) {
        // No pong since the last ping: the peer or the path to it is gone. No close handshake to wait for.
        socket.terminate();
        continue;
      }
      connection.alive = false;
      socket.ping();
    }
    await this.recheckSessions();
  }

  /**
   * Same rule as the session lookup on every request (findSession): the session row exists, has not
   * expired or gone idle and its user is not disabled; and the role is the one the stream opened with.
   * Sessions are read without touching lastSeenAt: an open tab is not activity, so a stream alone does
   * not keep a session alive past the idle limit.
   */
  private async recheckSessions(): Promise<void> {
    if (this.checking || this.connections.size === 0) return; // a slow database: the next tick checks
    this.checking = true;
    try {
      const ids = [...new Set([...this.connections].map((connection) => connection.session.id))];
      const rows = await this.db.session.findMany({
        where: { id: { in: ids } },
        select: {
          id: true,
          expiresAt: true,
          lastSeenAt: true,
          user: { select: { role: true, disabledAt: true } },
        },
      });
      const byId = new Map(rows.map((row) => [row.id, row]));
      const now = Date.now();
      for (const connection of this.connections) {
        const row = byId.get(connection.session.id);
        const reason = !row
          ? "signed out"
          : row.expiresAt.getTime() <= now
            ? "session expired"
            : isSessionIdle(row.lastSeenAt, this.limits.sessionIdleMinutes, now)
              ? "session idle"
              : row.user.disabledAt
                ? "account disabled"
                : row.user.role !== connection.session.role
                  ? "role changed"
                  : null;
        if (!reason) continue;
        this.log.info({ userId: connection.session.userId, reason }, "live stream closed: session ended");
        this.close(connection, STREAM_CLOSE.sessionEnded, `session ended: ${reason}`);
      }
    } catch (error) {
      // The database is away: keep the streams (they carry nothing without it) and check next tick.
      this.log.warn({ err: error }, "re-checking live stream sessions failed");
    } finally {
      this.checking = false;
    }
  }
}
