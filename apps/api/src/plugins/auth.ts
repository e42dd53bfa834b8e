import type { SessionUser, TokenScopeName, UserRole } from "@certfleet/contracts";
import { roleAtLeast, USER_ROLES } from "@certfleet/core";
import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ProblemError } from "../problem";
import type { AuditActor } from "../services/audit";
import {
  type ActiveSession,
  findSession,
  pruneExpiredSessions,
  SESSION_COOKIE,
} from "../services/auth/sessions";
import type { IngestToken } from "../services/ingest-context";
import { pruneRateLimitBuckets } from "../services/rate-limit-store";
import { CollectorTokenCache } from "../services/token-cache";

/**
 * Who may call a route. Every route declares one in `config.access`; a route without it stops the
 * app at start-up, so nothing ships unguarded by accident (and the route × role test walks them all).
 * - public: health, documentation, sign-in;
 * - collector: a live collector bearer token with the `reports` scope;
 * - inventory: an admin session, or a live collector token with the `inventory` scope (the CLI's import);
 * - reader: a viewer (or higher) session, or a live collector token with the `read` scope (the CLI's
 *   export); a request that sends a bearer token is judged by the token alone, never by a cookie;
 * - viewer | operator | lead | admin: a signed-in user with at least that role. State-changing
 *   methods also need the CSRF token (x-csrf-token) that GET /api/v1/auth/session hands out.
 * A token lacking the scope a route needs gets 403 naming the scope.
 * A user who must change their password (the first admin, created from an environment variable)
 * reaches only the routes that say `beforePasswordChange: true`; every other one answers 403.
 */
export type Access = "public" | "collector" | "inventory" | "reader" | UserRole;
const ACCESS_LEVELS: readonly Access[] = ["public", "collector", "inventory", "reader", ...USER_ROLES];

/** The routes a token may reach besides pure collector ones: its scope, or this session role instead. */
const TOKEN_OR_SESSION: Partial<Record<Access, { scope: TokenScopeName; role: UserRole }>> = {
  inventory: { scope: "inventory", role: "admin" },
  reader: { scope: "read", role: "viewer" },
};
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CSRF_COOKIE = "certfleet_csrf";
const SWEEP_INTERVAL_MS = 60 * 60_000;
/** The problem type of the 403 a user gets before choosing a new password: the web app looks for it. */
export const PASSWORD_CHANGE_REQUIRED = "https://certfleet.dev/problems/password-change-required";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
    /** Reachable by a session whose user must change their password first (who-am-I, sign-out, the change itself). */
    beforePasswordChange?: boolean;
  }
  interface FastifyInstance {
    /**
     * The access of every route registered in this context that declares none: only for a context
     * serving a library's own routes (the API docs), which cannot carry `config.access`.
     */
    defaultRouteAccess?: Access;
    /** onRequest hook for collector routes: a live collector bearer token (401) with the `reports` scope (403). */
    requireCollector: (request: FastifyRequest) => Promise<void>;
    /** Live collector tokens, cached briefly; invalidate after changing a token. */
    collectorTokens: CollectorTokenCache;
    /** Every route and who may call it, in registration order (the route × role test walks it). */
    routePolicies: RoutePolicy[];
  }
  interface FastifyRequest {
    collectorTokenId?: number;
    /** The live collector token of a collector route: who sent the report, and where it may report. */
    collectorToken?: IngestToken;
    /** Set on every route that requires a signed-in user. */
    session?: ActiveSession;
  }
}

export interface RoutePolicy {
  method: string;
  url: string;
  access: Access;
  summary: string;
  /** Reachable before a required password change. */
  beforePasswordChange: boolean;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The signed-in user of a route guarded by a role (its onRequest hook guarantees the session). */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.session) throw new Error(`${request.routeOptions.url} has no session: is its access a role?`);
  return request.session.user;
}

/** The user as the audit log records them. */
export function auditActor(request: FastifyRequest): AuditActor {
  const user = currentUser(request);
  return { id: user.id, email: user.email, ip: request.ip };
}

/**
 * Who the audit log records for a route that takes a session or a token: the user, or the token by name
 * (no user id: a token is not an account).
 */
export function requestActor(request: FastifyRequest): AuditActor {
  if (request.session) return auditActor(request);
  const token = request.collectorToken;
  if (!token) throw new Error(`${request.routeOptions.url} has neither a session nor a token`);
  return { id: 0, email: `token:${token.name} (#${token.id})`, ip: request.ip };
}

export default fp(
  async function authPlugin(app: FastifyInstance) {
    await app.register(cookie);
    await app.register(csrf, {
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: "/", httpOnly: true, sameSite: "strict", secure: app.config.auth.cookieSecure },
    });

    const collectorTokens = new CollectorTokenCache(app.db, app.config.collectorTokenCacheMs);
    app.decorate("collectorTokens", collectorTokens);

    const requireToken = (scope: TokenScopeName) =>
      async function requireScopedToken(request: FastifyRequest) {
        const token = bearerToken(request);
        if (!token) {
          throw new ProblemError(
            401,
            "Authentication required",
            "Send Authorization: Bearer <collector token>.",
          );
        }
        const collector = await collectorTokens.verify(token);
        if (collector === null) {
          throw new ProblemError(401, "Invalid collector token", "The token is unknown or has been revoked.");
        }
        if (!collector.scopes.includes(scope)) {
          throw new ProblemError(
            403,
            `Token lacks the ${scope} scope`,
            `This needs a token with the ${scope} scope; this token has ${collector.scopes.join(", ")}.`,
            undefined,
            { missingScope: scope },
          );
        }
        request.collectorTokenId = collector.id;
        request.collectorToken = collector;
      };
    app.decorate("requireCollector", requireToken("reports"));

    const sessionLimits = { idleMinutes: app.config.auth.sessionIdleMinutes };
    const requireRole = (minimum: UserRole, beforePasswordChange: boolean) =>
      async function requireSignedInRole(request: FastifyRequest) {
        const token = request.cookies[SESSION_COOKIE];
        const session = token ? await findSession(app.db, token, sessionLimits) : null;
        if (!session) {
          throw new ProblemError(
            401,
            "Sign-in required",
            "Sign in at /login; your session may have expired.",
          );
        }
        request.session = session;
        if (session.passwordChangeRequired && !beforePasswordChange) {
          throw new ProblemError(
            403,
            "Password change required",
            "Choose a new password (POST /api/v1/auth/password) before using anything else.",
            undefined,
            { type: PASSWORD_CHANGE_REQUIRED },
          );
        }
        if (!roleAtLeast(session.user.role, minimum)) {
          throw new ProblemError(
            403,
            "Not allowed for your role",
            `This needs the ${minimum} role or higher; you are signed in as ${session.user.role}.`,
          );
        }
      };

    // csrfProtection answers a bad token with reply.send(error): the errors plugin renders it (403).
    const requireCsrf = (request: FastifyRequest, reply: FastifyReply, done: () => void) =>
      app.csrfProtection(request, reply, done);
    // A bearer token is not sent by a browser on its own, so it needs no CSRF token.
    const requireCsrfUnlessBearer = (request: FastifyRequest, reply: FastifyReply, done: () => void) =>
      bearerToken(request) === null ? app.csrfProtection(request, reply, done) : done();
    const requireTokenOrSession = (need: { scope: TokenScopeName; role: UserRole }) => {
      const tokenCheck = requireToken(need.scope);
      const sessionCheck = requireRole(need.role, false);
      return async function requireScopedTokenOrSession(request: FastifyRequest) {
        await (bearerToken(request) === null ? sessionCheck(request) : tokenCheck(request));
      };
    };

    // Housekeeping any instance may do: expired sessions and spent rate-limit windows are dead rows.
    const sweep = () =>
      Promise.all([pruneExpiredSessions(app.db, sessionLimits), pruneRateLimitBuckets(app.db)]).catch(
        (error: unknown) => app.log.warn({ err: error }, "pruning sessions failed"),
      );
    let sweeper: NodeJS.Timeout | null = null;
    app.addHook("onReady", async () => {
      sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS).unref();
    });
    app.addHook("onClose", async () => {
      if (sweeper) clearInterval(sweeper);
    });

    const policies: RoutePolicy[] = [];
    app.decorate("routePolicies", policies);

    app.addHook("onRoute", function declareAccess(this: FastifyInstance, route) {
      const config = route.config as { access?: Access; beforePasswordChange?: boolean } | undefined;
      const access = config?.access ?? this.defaultRouteAccess;
      if (!access || !ACCESS_LEVELS.includes(access)) {
        throw new Error(`${route.method} ${route.url} declares no access policy (config.access)`);
      }
      const beforePasswordChange = config?.beforePasswordChange === true;
      const summary = (route.schema as { summary?: string } | undefined)?.summary ?? "";
      for (const method of [route.method].flat())
        policies.push({ method, url: route.url, access, summary, beforePasswordChange });
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      const changesState = [route.method].flat().some((method) => !SAFE_METHODS.has(method));
      const tokenOrSession = TOKEN_OR_SESSION[access];
      if (access === "collector") route.onRequest = [app.requireCollector, ...existing];
      else if (tokenOrSession) {
        route.onRequest = [
          requireTokenOrSession(tokenOrSession),
          ...(changesState ? [requireCsrfUnlessBearer] : []),
          ...existing,
        ];
      } else if (access !== "public" && access !== "inventory" && access !== "reader") {
        route.onRequest = [
          requireRole(access, beforePasswordChange),
          ...(changesState ? [requireCsrf] : []),
          ...existing,
        ];
      }
    });
  },
  { name: "auth", dependencies: ["context"] },
);
