import { ProblemSchema } from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { createOidcSignIn, OidcSignInError, SIGN_IN_MESSAGES } from "../services/auth/oidc";
import { startSession } from "./session-cookie";

export const OIDC_COOKIE = "certfleet_oidc";
const OIDC_COOKIE_PATH = "/api/v1/auth/oidc";
const OIDC_COOKIE_SECONDS = 10 * 60;

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

  /** Browser navigations: a failure goes back to the sign-in page with a line to show, not JSON. */
  const toLoginPage = (reply: FastifyReply, message: string) =>
    reply.redirect(`/login?${new URLSearchParams({ error: message })}`, 302);

  app.get(
    "/api/v1/auth/oidc/start",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Start single sign-on: redirects the browser to the identity provider",
        querystring: StartQuerySchema,
        response: {
          302: redirectResponse(
            "To the identity provider (sets the certfleet_oidc cookie), or to /login?error=… when it is unavailable",
          ),
          400: ProblemSchema,
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
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Single sign-on callback: signs in and redirects to the page the sign-in started from",
        querystring: CallbackQuerySchema,
        response: {
          302: redirectResponse(
            "Signed in (sets the session cookie): to the `next` path; refused: to /login?error=…",
          ),
          400: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const cookieValue = request.cookies[OIDC_COOKIE];
      // One attempt per cookie: whatever happens, it is spent.
      reply.clearCookie(OIDC_COOKIE, cookieOptions);
      // The raw query string: openid-client checks exactly what the provider sent (state, iss, code).
      const query = request.raw.url?.split("?")[1] ?? "";
      let signedIn: { userId: number; next: string };
      try {
        signedIn = await oidc.completeSignIn(app.db, query, cookieValue, request.ip);
      } catch (error) {
        if (!(error instanceof OidcSignInError)) throw error;
        request.log.info({ reason: error.reason }, "single sign-on refused");
        return toLoginPage(reply, error.message);
      }
      await startSession(app, request, reply, signedIn.userId, "oidc");
      return reply.redirect(signedIn.next, 302);
    },
  );
};

export default oidcRoutes;
