import {
  CollectorTokenCreatedSchema,
  CollectorTokenCreateSchema,
  CollectorTokenListSchema,
  CollectorTokenSchema,
  CollectorTokenUpdateSchema,
  ProblemSchema,
  TokenIdParamsSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { auditActor } from "../plugins/auth";
import {
  createCollectorToken,
  listCollectorTokens,
  revokeCollectorToken,
  updateCollectorToken,
} from "../services/tokens";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;

const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/tokens",
    {
      config: { access: "admin" },
      schema: {
        tags: ["tokens"],
        summary: "Collector tokens: name, hint, scope, created, last used, revoked",
        response: { 200: CollectorTokenListSchema, ...errors },
      },
    },
    async () => ({ items: await listCollectorTokens(app.db) }),
  );

  app.post(
    "/api/v1/tokens",
    {
      config: { access: "admin" },
      schema: {
        tags: ["tokens"],
        summary:
          "Create a collector token, fleet-wide or scoped; the secret is in this answer only (stored hashed)",
        body: CollectorTokenCreateSchema,
        response: { 201: CollectorTokenCreatedSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCollectorToken(app.db, auditActor(request), request.body)),
  );

  app.patch(
    "/api/v1/tokens/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: ["tokens"],
        summary: "Rename a collector token or set its scope (management groups, FQDN suffixes); audited",
        description:
          "Empty scope lists mean fleet-wide. The collector's next report outside the new scope gets 403; " +
          "the audit entry holds the name and scope before and after.",
        params: TokenIdParamsSchema,
        body: CollectorTokenUpdateSchema,
        response: { 200: CollectorTokenSchema, 404: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      const updated = await updateCollectorToken(
        app.db,
        auditActor(request),
        request.params.id,
        request.body,
      );
      // In force here at once; other instances drop theirs on the NOTIFY (or within the cache's age).
      app.collectorTokens.invalidate();
      return updated;
    },
  );

  app.post(
    "/api/v1/tokens/:id/revoke",
    {
      config: { access: "admin" },
      schema: {
        tags: ["tokens"],
        summary: "Revoke a collector token: its collector's next report gets 401",
        params: TokenIdParamsSchema,
        response: { 200: CollectorTokenSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      const revoked = await revokeCollectorToken(app.db, auditActor(request), request.params.id);
      app.collectorTokens.invalidate();
      return revoked;
    },
  );
};

export default tokenRoutes;
