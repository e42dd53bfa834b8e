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
