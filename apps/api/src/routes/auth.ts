import {
  AuthOptionsSchema,
  LoginBodySchema,
  LogoutResultSchema,
  PasswordChangeBodySchema,
  ProblemSchema,
  type Session,
  SessionSchema,
} from "@certfleet/contracts";
import rateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { auditActor, currentUser } from "../plugins/auth";
import { ProblemError } from "../problem";
import { recordAudit } from "../services/audit";
import { checkPassword } from "../services/auth/login";
import {
  accountWaitMs,
  clearAccountFailures,
  HashCapacityExceeded,
  PasswordHashGate,
  recordAccountFailure,
} from "../services/auth/login-limits";
import { changeOwnPassword } from "../services/auth/password-change";
import { type ActiveSession, endAllSessions, endSession, SESSION_COOKIE } from "../services/auth/sessions";
import { demoAccounts } from "../services/demo-accounts";
import { clearRateLimit, sharedRateLimit } from "../services/rate-limit-store";
import { startSession } from "./session-cookie";

const FIFTEEN_MINUTES_MS = 15 * 60_000;

function loginRateLimitKey(ip: string, email: string | undefined): string {
  return `login:${ip}:${String(email ?? "").toLowerCase()}`;
}

/** A refusal the caller should retry: the problem with Retry-After (seconds). */
function sendRetryLater(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: ProblemError,
  seconds: number,
) {
  request.log.info({ status: problem.status, title: problem.title }, "request rejected");
  return reply
    .status(problem.status)
    .header("retry-after", String(Math.max(1, seconds)))
    .type("application/problem+json")
    .send(problem.toProblem(request.url));
}

/** GET /api/v1/auth/session's answer, also sent after a password change. */
function sessionAnswer(session: ActiveSession | undefined, csrfToken: string): Session {
  if (!session) throw new Error("viewer route without a session");
  return {
    user: session.user,
    method: session.method,
    expiresAt: session.expiresAt.toISOString(),
    passwordChangeRequired: session.passwordChangeRequired,
    csrfToken,
  };
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(
    rateLimit,
    sharedRateLimit(
      app.db,
      "Too many sign-in attempts",
      (minutes) => `Wait ${minutes} minute(s) before trying again.`,
    ),
  );

  const { auth } = app.config;
  // Per API instance (= per process in production): argon2 runs on this process's thread pool.
  const hashGate = new PasswordHashGate(auth.passwordHashConcurrency);

  app.post(
    "/api/v1/auth/login",
    {
      config: {
        access: "public",
        rateLimit: {
          max: auth.loginAttemptsPer15Minutes,
          timeWindow: FIFTEEN_MINUTES_MS,
          // After the body is parsed, so the limit is per e-mail and address: one attacker cannot lock
          // everyone out, and guessing one account's password from many addresses is still slowed by argon2.
          hook: "preHandler",
          keyGenerator: (request: FastifyRequest) =>
            loginRateLimitKey(request.ip, (request.body as { email?: string } | undefined)?.email),
        },
      },
      schema: {
        tags: ["auth"],
        summary: "Sign in with e-mail and password; sets the session cookie",
        body: LoginBodySchema,
        response: {
          200: SessionSchema,
          401: ProblemSchema,
          422: ProblemSchema,
          429: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { email } = request.body;
      // Before any hash: an account in its backoff is refused cheaply, from any address.
      const waitMs = await accountWaitMs(app.db, email);
      if (waitMs > 0)
        return sendRetryLater(
          reply,
          request,
          new ProblemError(
            429,
            "Too many sign-in attempts",
            `Too many wrong passwords for this account: wait ${Math.ceil(waitMs / 1000)} second(s) before trying again.`,
          ),
          Math.ceil(waitMs / 1000),
        );
      let userId: number | null;
      try {
        userId = await checkPassword(app.db, { ...request.body, ip: request.ip }, hashGate);
      } catch (error) {
        if (!(error instanceof HashCapacityExceeded)) throw error;
        return sendRetryLater(
          reply,
          request,
          new ProblemError(
            503,
            "Sign-in busy",
            "Too many sign-ins are being checked at once; try again shortly.",
          ),
          error.retryAfterSeconds,
        );
      }
      if (userId === null) {
        await recordAccountFailure(app.db, email, auth.loginFailuresBeforeBackoff);
        throw new ProblemError(401, "Wrong e-mail or password", "Check both and try again.");
      }
      // Only failures should add up: a person who signs in often must never lock themselves out.
      await clearRateLimit(app.db, loginRateLimitKey(request.ip, email));
      await clearAccountFailures(app.db, email);
      return startSession(app, request, reply, userId, "password");
    },
  );

  app.get(
    "/api/v1/auth/session",
    {
      config: { access: "viewer", beforePasswordChange: true },
      schema: {
        tags: ["auth"],
        summary: "The signed-in user and the CSRF token for state-changing calls",
        response: { 200: SessionSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => sessionAnswer(request.session, reply.generateCsrf()),
  );

  app.post(
    "/api/v1/auth/password",
    {
      config: {
        access: "viewer",
        beforePasswordChange: true,
        // Someone holding a borrowed session must not get to guess the current password at leisure.
        rateLimit: {
          max: auth.loginAttemptsPer15Minutes,
          timeWindow: FIFTEEN_MINUTES_MS,
          hook: "preHandler",
          keyGenerator: (request: FastifyRequest) =>
            `password-change:${request.session?.user.id ?? request.ip}`,
        },
      },
      schema: {
        tags: ["auth"],
        summary: "Change your own password (current + new); ends your other sessions, this one goes on",
        body: PasswordChangeBodySchema,
        response: {
          200: SessionSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          422: ProblemSchema,
          429: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const session = request.session;
      if (!session) throw new Error("viewer route without a session");
      try {
        await changeOwnPassword(
          app.db,
          { ...auditActor(request), sessionId: session.id },
          request.body,
          hashGate,
        );
      } catch (error) {
        if (!(error instanceof HashCapacityExceeded)) throw error;
        return sendRetryLater(
          reply,
          request,
          new ProblemError(503, "Busy", "Too many passwords are being checked at once; try again shortly."),
          error.retryAfterSeconds,
        );
      }
      return sessionAnswer({ ...session, passwordChangeRequired: false }, reply.generateCsrf());
    },
  );

  app.post(
    "/api/v1/auth/logout",
    {
      config: { access: "viewer", beforePasswordChange: true },
      schema: {
        tags: ["auth"],
        summary: "Sign out this browser",
        response: { 200: LogoutResultSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ended = await endSession(app.db, request.session?.id ?? "");
      await recordAudit(app.db, auditActor(request), { action: "auth.logout", entityType: "session" });
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { sessionsEnded: ended };
    },
  );

  app.post(
    "/api/v1/auth/logout-all",
    {
      config: { access: "viewer", beforePasswordChange: true },
      schema: {
        tags: ["auth"],
        summary: "Sign out everywhere: ends every session of the signed-in user",
        response: { 200: LogoutResultSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ended = await endAllSessions(app.db, currentUser(request).id);
      await recordAudit(app.db, auditActor(request), {
        action: "auth.logout_all",
        entityType: "session",
        after: { sessionsEnded: ended },
      });
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { sessionsEnded: ended };
    },
  );

  app.get(
    "/api/v1/auth/options",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Sign-in options: single sign-on, and the demo accounts while the demo estate is loaded",
        response: { 200: AuthOptionsSchema },
      },
    },
    async () => ({
      oidc: auth.oidc ? { name: auth.oidc.name, startUrl: "/api/v1/auth/oidc/start" } : null,
      demoAccounts: app.config.seedDemo ? demoAccounts() : [],
    }),
  );
};

export default authRoutes;
