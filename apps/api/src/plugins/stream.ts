import { STREAM_CLOSE } from "@certfleet/contracts";
import websocket from "@fastify/websocket";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { Type } from "typebox";
import { ProblemError } from "../problem";
import type { ActiveSession } from "../services/auth/sessions";
import { ChangeHub } from "../services/change-hub";
import { DEFAULT_STREAM_LIMITS, StreamConnections, type StreamLimits } from "../services/stream-connections";
import { allowedStreamOrigins, streamOriginAllowed } from "../services/stream-origins";

const StreamQuerySchema = Type.Object(
  {
    since: Type.Optional(
      Type.Integer({ minimum: 0, description: "Last event id the client saw; missed events are replayed" }),
    ),
  },
  { additionalProperties: false },
);

/** Refused upgrades (caps) suggest the client retries after this long. */
const RETRY_AFTER_SECONDS = 10;

declare module "fastify" {
  interface FastifyInstance {
    changeHub: ChangeHub;
    streamConnections: StreamConnections;
  }
}

export interface StreamPluginOptions {
  databaseUrl: string;
  /** Overrides of the stream's bounds (tests: short heartbeats, small buffers). */
  limits?: Partial<StreamLimits>;
}

/**
 * GET /api/v1/stream (WebSocket): pushes host.updated events as reports are accepted on any
 * instance. Registered after the auth plugin, so the route carries an access policy like any other.
 */
export default fp(
  async function streamPlugin(app: FastifyInstance, options: StreamPluginOptions) {
    await app.register(websocket, {
      options: { maxPayload: 1024 },
      // On shutdown: 1001 "going away", so clients reconnect (to another instance) and resume with ?since.
      preClose(done) {
        for (const client of this.websocketServer.clients)
          client.close(STREAM_CLOSE.goingAway, "server shutting down");
        done();
      },
    });
    const connections = new StreamConnections(
      app.db,
      {
        ...DEFAULT_STREAM_LIMITS,
        maxPerInstance: app.config.streamMaxConnections,
        sessionIdleMinutes: app.config.auth.sessionIdleMinutes,
        ...options.limits,
      },
      app.log,
    );
    app.decorate("streamConnections", connections);
    app.addHook("onReady", async () => connections.start());
    app.addHook("onClose", async () => connections.stop());
    const allowedOrigins = allowedStreamOrigins(app.config.notifications.publicUrl);

    /**
     * Before the upgrade, after the session check: a page from another origin must not ride the
     * user's cookie into the stream (a sibling subdomain is same-site, so SameSite=Lax sends it), and
     * the caps answer with a plain status the client can back off on.
     */
    const admitStream = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!streamOriginAllowed(request.headers.origin, allowedOrigins)) {
        throw new ProblemError(
          403,
          "Origin not allowed",
          "The live stream accepts pages served from CERTFLEET_PUBLIC_URL only.",
          [{ field: "origin", message: `${request.headers.origin} is not the web app's address` }],
        );
      }
      const admission = connections.admit(sessionOf(request).id);
      if (!admission.ok) {
        reply.header("retry-after", String(RETRY_AFTER_SECONDS));
        throw new ProblemError(
          admission.status,
          admission.status === 429 ? "Too many live streams" : "Live stream capacity reached",
          admission.detail,
        );
      }
    };
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
        onRequest: admitStream,
        schema: {
          tags: ["estate"],
          summary:
            "WebSocket of live changes: hello, then host.updated per accepted report and task.updated per task change (resync when too far behind)",
          querystring: StreamQuerySchema,
        },
      },
      async (socket, request) => {
        const { id, user } = sessionOf(request);
        // Upgrades of one session can all pass admitStream before any of them is counted here.
        const admission = connections.admit(id);
        if (!admission.ok) {
          socket.close(
            STREAM_CLOSE.overCapacity,
            admission.status === 429 ? "too many streams" : "instance full",
          );
          return;
        }
        const { send, connection } = connections.add(socket, { id, userId: user.id, role: user.role });
        const { since } = request.query as { since?: number };
        const detach = await hub.attach({ send, lastSent: 0 }, since);
        connection.detach = detach;
        // Closed while replaying (the client left, or fell behind on the replay itself).
        if (socket.readyState !== socket.OPEN) detach();
      },
    );
  },
  { name: "stream", dependencies: ["context", "auth"] },
);

/** The session the auth hook put on the request (the route's access is a role, so there is one). */
function sessionOf(request: FastifyRequest): ActiveSession {
  if (!request.session) throw new Error("the stream route ran without a session: is its access a role?");
  return request.session;
}
