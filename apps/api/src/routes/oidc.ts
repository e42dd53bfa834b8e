import { OidcLinkStartBodySchema, OidcLinkStartSchema, ProblemSchema } from "@certfleet/contracts";
import rateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { currentUser } from "../plugins/auth";
import { ProblemError } from "../problem";
import { createOidcSignIn, OidcSignInError, SIGN_IN_MESSAGES } from "../services/auth/oidc";
import { findSession, SESSION_COOKIE } from "../services/auth/sessions";
import { sharedRateLimit } from "../services/rate-limit-store";
import { startSession } from "./session-cookie";

export const OIDC_COOKIE = "certfleet_oidc";
const OIDC_COOKIE_PATH = "/api/v1/auth/oidc";
const OIDC_COOKIE_SECONDS = 10 * 60;
const FIFTEEN_MINUTES_MS = 15 * 60_000;

/**
 * An OpenAPI redirect answer. A plain JSON-schema object, not TypeBox (as fileResponse): the
 * type provider then leaves the reply untyped and the OpenAPI document lists no body.
 */
function redirectResponse(description: string) {
  return {
    type: "null",
    description,
    headers: { location: { type: "string", description: "Where the browser goes next" } },
  } as unknown as { readonly description: string };
}

const StartQuerySchema = Type.Object(
  {
    next: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'Same-site path to return to after signing in, e.g. "/tasks" (default "/")',
      }),
    ),
  },
  { additionalProperties: false },
);

const CallbackQuerySchema = Type.Object(
  {
    code: Type.Optional(Type.String({ description: "Authorization code" })),
    state: Type.Optional(Type.String()),
    iss: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
    error_description: Type.Optional(Type.String()),
  },
  // Whatever else the identity provider adds (session_state, …) is its business.
  { additionalProperties: true },
);

/** Optional single sign-on: registers nothing unless CERTFLEET_OIDC_ISSUER is set. */
const oidcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const settings = app.config.auth.oidc;
  if (!settings) return;
  const oidc = createOidcSignIn(settings);
  const cookieOptions = {
    path: OIDC_COOKIE_PATH,
    httpOnly: true,
    sameSite: "lax",
    secure: app.config.auth.cookieSecure,
  } as const;

  // Shared by every API instance (the sign-in store): a flood of starts or of forged callbacks,
  // each costing a request to the identity provider, is cut off per address with 429 + Retry-After.
  await app.register(
    rateLimit,
    sharedRateLimit(
      app.db,
      "Too many single sign-on attempts",
      (minutes) =>
        `Too many single sign-on attempts from this address: wait ${minutes} minute(s) before trying again.`,
    ),
  );
  const limitPerAddress = (route: string) => ({
    max: settings.attemptsPer15Minutes,
    timeWindow: FIFTEEN_MINUTES_MS,
    keyGenerator: (request: FastifyRequest) => `oidc-${route}:${request.ip}`,
  });

  /** Browser navigations: a failure goes back to the sign-in page with a line to show, not JSON. */
  const toLoginPage = (reply: FastifyReply, message: string) =>
    reply.redirect(`/login?${new URLSearchParams({ error: message })}`, 302);
  /** The end of a link flow: back to the page it started from, saying how it went. */
  const toLinkPage = (reply: FastifyReply, next: string, outcome: Record<string, string>) => {
    const target = new URL(next, "http://certfleet.invalid");
    for (const [name, value] of Object.entries(outcome)) target.searchParams.set(name, value);
    return reply.redirect(`${target.pathname}${target.search}`, 302);
  };

  app.get(
    "/api/v1/auth/oidc/start",
    {
      config: { access: "public", rateLimit: limitPerAddress("start") },
      schema: {
        tags: ["auth"],
        summary: "Start single sign-on: redirects the browser to the identity provider",
        querystring: StartQuerySchema,
        response: {
          302: redirectResponse(
            "To the identity provider (sets the certfleet_oidc cookie), or to /login?error=… when it is unavailable",
          ),
          400: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      try {
        const { authorizationUrl, cookieValue } = await oidc.beginSignIn(request.query.next);
        reply.setCookie(OIDC_COOKIE, cookieValue, { ...cookieOptions, maxAge: OIDC_COOKIE_SECONDS });
        return reply.redirect(authorizationUrl, 302);
      } catch (error) {
        const failure = error instanceof OidcSignInError ? error : null;
        request.log.warn({ reason: failure?.reason ?? String(error) }, "single sign-on could not start");
        return toLoginPage(reply, failure?.message ?? SIGN_IN_MESSAGES.failed);
      }
    },
  );

  app.get(
    "/api/v1/auth/oidc/callback",
    {
      config: { access: "public", rateLimit: limitPerAddress("callback") },
      schema: {
        tags: ["auth"],
        summary: "Single sign-on callback: signs in and redirects to the page the sign-in started from",
        querystring: CallbackQuerySchema,
        response: {
          302: redirectResponse(
            "Signed in (sets the session cookie): to the `next` path; refused: to /login?error=…. A link started by a signed-in user: to its `next` path with ssoLinked=1 or ssoLinkError=…",
          ),
          400: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const cookieValue = request.cookies[OIDC_COOKIE];
      // One attempt per cookie: whatever happens, it is spent.
      reply.clearCookie(OIDC_COOKIE, cookieOptions);
      // The raw query string: openid-client checks exactly what the provider sent (state, iss, code).
      const query = request.raw.url?.split("?")[1] ?? "";
      // A link flow must come back to the session of the user who started it.
      const sessionToken = request.cookies[SESSION_COOKIE];
      const session = sessionToken
        ? await findSession(app.db, sessionToken, { idleMinutes: app.config.auth.sessionIdleMinutes })
        : null;
      const link = oidc.pendingLink(cookieValue);
      let completed: Awaited<ReturnType<typeof oidc.completeSignIn>>;
      try {
        completed = await oidc.completeSignIn(
          app.db,
          query,
          cookieValue,
          request.ip,
          session?.user.id ?? null,
        );
      } catch (error) {
        if (!(error instanceof OidcSignInError)) throw error;
        request.log.info(
          { reason: error.reason },
          link ? "single sign-on link refused" : "single sign-on refused",
        );
        return link
          ? toLinkPage(reply, link.next, { ssoLinkError: error.message })
          : toLoginPage(reply, error.message);
      }
      if (completed.kind === "linked") return toLinkPage(reply, completed.next, { ssoLinked: "1" });
      await startSession(app, request, reply, completed.userId, "oidc");
      return reply.redirect(completed.next, 302);
    },
  );

  app.post(
    "/api/v1/auth/oidc/link",
    {
      config: { access: "viewer", rateLimit: limitPerAddress("start") },
      schema: {
        tags: ["auth"],
        summary:
          "Link my single sign-on identity: answers the identity provider URL to send the browser to (sets the certfleet_oidc cookie)",
        body: OidcLinkStartBodySchema,
        response: {
          200: OidcLinkStartSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          429: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      try {
        const { authorizationUrl, cookieValue } = await oidc.beginSignIn(request.body.next ?? "/", user.id);
        reply.setCookie(OIDC_COOKIE, cookieValue, { ...cookieOptions, maxAge: OIDC_COOKIE_SECONDS });
        return { authorizationUrl };
      } catch (error) {
        if (!(error instanceof OidcSignInError)) throw error;
        request.log.warn({ reason: error.reason }, "single sign-on link could not start");
        throw new ProblemError(503, "Single sign-on unavailable", error.message);
      }
    },
  );
};

export default oidcRoutes;
