import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { withLogRedaction } from "./logging";
import auth from "./plugins/auth";
import collectorLimits from "./plugins/collector-limits";
import context, { type AppContext } from "./plugins/context";
import errors from "./plugins/errors";
import jobs from "./plugins/jobs";
import jsonBody from "./plugins/json-body";
import openapi from "./plugins/openapi";
import signInFailures from "./plugins/sign-in-failures";
import stream from "./plugins/stream";
import auditRoutes from "./routes/audit";
import authRoutes from "./routes/auth";
import certificateAuthRoutes from "./routes/certificate-auth";
import certificateRoutes from "./routes/certificates";
import complianceRoutes from "./routes/compliance";
import exportRoutes from "./routes/exports";
import healthRoutes from "./routes/health";
import hostRoutes from "./routes/hosts";
import inventoryRoutes from "./routes/inventory";
import notificationRoutes from "./routes/notifications";
import oidcRoutes from "./routes/oidc";
import reportRoutes from "./routes/reports";
import ruleRoutes from "./routes/rules";
import settingRoutes from "./routes/settings";
import taskRoutes from "./routes/tasks";
import tokenRoutes from "./routes/tokens";
import trustAnchorRoutes from "./routes/trust-anchors";
import userSsoRoutes from "./routes/user-sso";
import userRoutes from "./routes/users";
import type { StreamLimits } from "./services/stream-connections";

/**
 * How long a client may take, so slow or stalled clients cannot hold sockets (and their memory)
 * open for ever. Fastify's defaults are no limit at all. Fixed values, not settings: they only need
 * to be far above what an honest client takes (see docs/operations.md, "HTTP timeouts").
 */
export interface HttpTimeouts {
  /** The whole request, headers and body, must have arrived by then (Node answers 408 and closes). */
  requestMs: number;
  /** The headers alone: a client that dribbles them out (slowloris) is cut off sooner. */
  headersMs: number;
  /** A socket with no traffic either way this long is closed (a stalled upload, a reader that stopped). */
  connectionMs: number;
  /** How often Node looks for requests past those deadlines. */
  checkIntervalMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = {
  // The largest body, a 16 MiB report batch, arrives in 2 minutes at ~1.1 Mbit/s.
  requestMs: 120_000,
  headersMs: 30_000,
  // Longer than any pause inside an honest exchange: statements end within 30 s and downloads stream.
  // WebSockets are not cut by it (the ws library clears the socket timeout; the stream pings every 25 s).
  connectionMs: 120_000,
  checkIntervalMs: 5_000,
};

/**
 * Builds the API without listening, so tests drive it with `inject` and server.ts with `listen`.
 * One encapsulated plugin per concern; routes are registered after the plugins they use.
 */
export async function buildApp(
  appContext: AppContext,
  options: Pick<FastifyServerOptions, "logger"> & {
    /** Live-stream bounds other than the configured ones (tests: heartbeats of milliseconds). */
    stream?: Partial<StreamLimits>;
    /** Client deadlines other than HTTP_TIMEOUTS (tests: a slow client cut off in milliseconds). */
    httpTimeouts?: HttpTimeouts;
  } = {},
): Promise<FastifyInstance> {
  const timeouts = options.httpTimeouts ?? HTTP_TIMEOUTS;
  const app = Fastify({
    // Whoever builds the app picks the level and destination; redaction is not theirs to forget.
    logger: options.logger ? withLogRedaction(options.logger === true ? {} : options.logger) : false,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    // Reports are machine-generated; an unknown field is a collector bug worth a clear 422.
    ajv: { customOptions: { removeAdditional: false } },
    // Off unless CERTFLEET_TRUST_PROXY names the proxies: otherwise any client could pick the
    // address (X-Forwarded-For) its sign-in attempts are counted under.
    trustProxy: trustProxyOption(appContext.config.trustProxy),
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // The API speaks JSON only: anything else is a 415, not a string body that fails validation.
  app.removeContentTypeParser("text/plain");

  await app.register(context, appContext);
  await app.register(errors);
  await app.register(jsonBody);
  await app.register(auth);
  // After auth, so the docs routes pass the same access-policy check as every other route.
  await app.register(openapi);
  await app.register(signInFailures);
  // Before the collector routes: its hook spends the token's report budget and refreshes trust anchors.
  await app.register(collectorLimits);
  // Before the routes: the host routes drop their cached summary when the hub hears of changes.
  await app.register(stream, { databaseUrl: appContext.databaseUrl, limits: options.stream });
  await app.register(jobs, { databaseUrl: appContext.databaseUrl });
  await app.register(healthRoutes);
  await app.register(reportRoutes);
  await app.register(hostRoutes);
  await app.register(certificateRoutes);
  await app.register(certificateAuthRoutes);
  await app.register(ruleRoutes);
  await app.register(authRoutes);
  await app.register(oidcRoutes);
  await app.register(userRoutes);
  await app.register(userSsoRoutes);
  await app.register(tokenRoutes);
  await app.register(inventoryRoutes);
  await app.register(trustAnchorRoutes);
  await app.register(taskRoutes);
  await app.register(auditRoutes);
  await app.register(settingRoutes);
  await app.register(exportRoutes);
  await app.register(complianceRoutes);
  await app.register(notificationRoutes);
  return app;
}

/** A hop count as the function Fastify builds from one (its types accept no bare number). */
function trustProxyOption(setting: false | number | string[]): FastifyServerOptions["trustProxy"] {
  if (typeof setting !== "number") return setting;
  return (_address: string, hop: number) => hop < setting;
}
