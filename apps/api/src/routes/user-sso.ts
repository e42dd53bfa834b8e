import { ProblemSchema, UserIdParamsSchema, UserOidcLinkSchema, UserSchema } from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { auditActor } from "../plugins/auth";
import { adminLinkIdentity, adminUnlinkIdentity } from "../services/auth/oidc-accounts";

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
} as const;

/** Admins link and unlink single sign-on identities (accounts that are never linked automatically). */
const userSsoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    "/api/v1/users/:id/oidc",
    {
      config: { access: "admin" },
      schema: {
        tags: ["users"],
        summary: "Link the account to a single sign-on identity (its `sub` at the configured provider)",
        params: UserIdParamsSchema,
        body: UserOidcLinkSchema,
        response: { 200: UserSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) =>
      adminLinkIdentity(
        app.db,
        app.config.auth.oidc,
        auditActor(request),
        request.params.id,
        request.body.subject,
      ),
  );

  app.delete(
    "/api/v1/users/:id/oidc",
    {
      config: { access: "admin" },
      schema: {
        tags: ["users"],
        summary: "Unlink the account's single sign-on identity; its single sign-on sessions end",
        params: UserIdParamsSchema,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) => adminUnlinkIdentity(app.db, auditActor(request), request.params.id),
  );
};

export default userSsoRoutes;
