import type { Session } from "@certfleet/contracts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createSession, findSession, SESSION_COOKIE } from "../services/auth/sessions";

/** Starts a session after a successful sign-in (password or OIDC): cookie set, session and CSRF token returned. */
export async function startSession(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  method: "password" | "oidc",
): Promise<Session> {
  const { auth } = app.config;
  const { token, expiresAt } = await createSession(app.db, userId, method, auth.sessionHours, {
    ip: request.ip,
    userAgent: request.headers["user-agent"],
  });
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    // lax, not strict: the OIDC callback is a cross-site navigation that must carry the new cookie home.
    sameSite: "lax",
    secure: auth.cookieSecure,
    expires: expiresAt,
  });
  const session = await findSession(app.db, token, { idleMinutes: auth.sessionIdleMinutes });
  if (!session) throw new Error("a session just created was not found");
  return {
    user: session.user,
    method,
    expiresAt: expiresAt.toISOString(),
    passwordChangeRequired: session.passwordChangeRequired,
    csrfToken: reply.generateCsrf(),
  };
}
