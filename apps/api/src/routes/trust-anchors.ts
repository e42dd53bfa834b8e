import {
  ProblemSchema,
  TrustAnchorCreateSchema,
  TrustAnchorIdParamsSchema,
  TrustAnchorListSchema,
  TrustAnchorSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { auditActor } from "../plugins/auth";
import { addTrustAnchor, listTrustAnchors, removeTrustAnchor } from "../services/trust-anchors";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;

const trustAnchorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/trust-anchors",
    {
      config: { access: "admin" },
      schema: {
        tags: ["trust anchors"],
        summary: "Trusted root and issuing CA certificates the server checks chains against",
        response: { 200: TrustAnchorListSchema, ...errors },
      },
    },
    async () => ({ items: await listTrustAnchors(app.db) }),
  );

  app.post(
    "/api/v1/trust-anchors",
    {
      config: { access: "admin" },
      schema: {
        tags: ["trust anchors"],
        summary:
          "Add a trusted root or issuing CA certificate (PEM or base64 DER; private keys refused); audited",
        description:
          "While any trust anchor exists, every report's bound certificate must chain to one (signatures and " +
          "validity checked by certfleet) or the host gets a chain error, whatever the host itself reports. " +
          "Every API instance applies a change within two seconds.",
        body: TrustAnchorCreateSchema,
        response: { 201: TrustAnchorSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const anchor = await addTrustAnchor(app.db, auditActor(request), request.body.certificate);
      app.trustAnchors.invalidate();
      return reply.status(201).send(anchor);
    },
  );

  app.delete(
    "/api/v1/trust-anchors/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: ["trust anchors"],
        summary: "Remove a trust anchor; audited",
        params: TrustAnchorIdParamsSchema,
        response: { 204: Type.Null({ description: "Removed" }), 404: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await removeTrustAnchor(app.db, auditActor(request), request.params.id);
      app.trustAnchors.invalidate();
      return reply.status(204).send(null);
    },
  );
};

export default trustAnchorRoutes;
