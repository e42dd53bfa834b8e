import type { StreamMessage } from "@certfleet/contracts";
import websocket from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Type } from "typebox";
import { ChangeHub } from "../services/change-hub";

const StreamQuerySchema = Type.Object(
  {
    since: Type.Optional(
      Type.Integer({ minimum: 0, description: "Last event id the client saw; missed events are replayed" }),
    ),
  },
  { additionalProperties: false },
);

const HEARTBEAT_MS = 25_000;

declare module "fastify" {
  interface FastifyInstance {
    changeHub: ChangeHub;
  }
}

/**
 * GET /api/v1/stream (WebSocket): pushes host.updated events as reports are accepted on any
 * instance. Registered after the auth plugin, so the route carries an access policy like any other.
 */
export default fp(
  async function streamPlugin(app: FastifyInstance, options: { databaseUrl: string }) {
    await app.register(websocket, {
      options: { maxPayload: 1024 },
      // On shutdown: 1001 "going away", so clients reconnect (to another instance) and resume with ?since.
      preClose(done) {
        for (const client of this.websocketServer.clients) client.close(1001, "server shutting down");
        done();
      },
    });
    const hub = new ChangeHub(app.db, options.databaseUrl, app.estateClock, app.log);
    app.decorate("changeHub", hub);
    // Another instance revoked or changed a collector token: check tokens against the database again.
    hub.onTokensChanged(app.collectorTokens.invalidate);
    app.addHook("onReady", () => hub.start());
    app.addHook("onClose", () => hub.stop());

    app.get(
      "/api/v1/stream",
      {
        websocket: true,
        config: { access: "viewer" },
        schema: {
          tags: ["estate"],
          summary:
            "WebSocket of live changes: hello, then host.updated per accepted report and task.updated per task change (resync when too far behind)",
          querystring: StreamQuerySchema,
        },
      },
      async (socket, request) => {
        const send = (message: StreamMessage) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
        };
        const heartbeat = setInterval(() => socket.ping(), HEARTBEAT_MS);
        let detach: (() => void) | null = null;
        socket.on("close", () => {
          clearInterval(heartbeat);
          detach?.();
        });
        const { since } = request.query as { since?: number };
        detach = await hub.attach({ send, lastSent: 0 }, since);
        if (socket.readyState !== socket.OPEN) detach();
      },
    );
  },
  { name: "stream", dependencies: ["context", "auth"] },
);
