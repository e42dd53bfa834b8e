import { type Static, Type } from "typebox";
import { HostListItemSchema } from "./estate";

/** What GET /api/v1/stream (WebSocket) sends: hello on connect, then host.updated per accepted report and task.updated per task change. */
export const StreamMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal("hello"), lastEventId: Type.Integer() }),
  Type.Object({
    type: Type.Literal("host.updated"),
    /** Monotonic: reconnect with ?since=<the last id seen> to get what was missed. */
    id: Type.Integer(),
    at: Type.String({ format: "date-time" }),
    host: HostListItemSchema,
  }),
  /** A renewal task changed (created, assigned, moved, closed by a report): refetch task views. */
  Type.Object({
    type: Type.Literal("task.updated"),
    id: Type.Integer(),
    at: Type.String({ format: "date-time" }),
    taskId: Type.Integer(),
    hostFqdn: Type.String(),
  }),
  /** The client missed more than the server replays: refetch everything. */
  Type.Object({ type: Type.Literal("resync"), lastEventId: Type.Integer() }),
]);
export type StreamMessage = Static<typeof StreamMessageSchema>;

/**
 * Close codes of GET /api/v1/stream besides the standard ones, and what a client does on each.
 * - goingAway (1001): the instance is shutting down; reconnect (elsewhere) and resume with ?since.
 * - fellBehind (1013, "try again later"): the client read too slowly and its send buffer passed the
 *   server's bound; events were dropped, so reconnect WITHOUT ?since and refetch everything.
 * - overCapacity (1008): two upgrades raced past the cap checks below; reconnect with backoff.
 * - sessionEnded (4401): the session was signed out, expired, its user disabled or its role changed;
 *   check the session (sign in again, or reconnect with the new role).
 * An upgrade refused over capacity answers HTTP 429 (too many streams for this session) or 503
 * (this instance is full), both with Retry-After; a foreign Origin answers 403.
 */
export const STREAM_CLOSE = {
  goingAway: 1001,
  overCapacity: 1008,
  fellBehind: 1013,
  sessionEnded: 4401,
} as const;

/** Start of the close reason sent with STREAM_CLOSE.fellBehind: the client must resync. */
export const STREAM_RESYNC_REASON = "resync";
