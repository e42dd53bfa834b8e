import { CertificateDetailSchema, ProblemSchema, Sha256ParamsSchema } from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { certificateDer, certificateDetail, toPem } from "../services/estate/certificate-view";

const certificateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/certificates/:sha256",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["estate"],
        summary: "A certificate's parsed fields and the hosts that hold it",
        params: Sha256ParamsSchema,
        response: { 200: CertificateDetailSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => certificateDetail(app.db, request.params.sha256, new Date()),
  );

  app.get(
    "/api/v1/certificates/:sha256/pem",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["estate"],
        summary: "Download the certificate as PEM (public part only)",
        params: Sha256ParamsSchema,
        produces: ["application/x-pem-file"],
        response: { 200: Type.String(), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { der, thumbprint } = await certificateDer(app.db, request.params.sha256);
      return reply
        .type("application/x-pem-file")
        .header("content-disposition", `attachment; filename="${thumbprint}.pem"`)
        .send(toPem(der));
    },
  );

  app.get(
    "/api/v1/certificates/:sha256/der",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["estate"],
        summary: "Download the certificate as DER (.cer, public part only)",
        params: Sha256ParamsSchema,
        produces: ["application/pkix-cert"],
        // Fastify sends Buffers as they are; the schema is for the OpenAPI document.
        response: {
          200: Type.Unsafe<Buffer>({ type: "string", format: "binary" }),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { der, thumbprint } = await certificateDer(app.db, request.params.sha256);
      return reply
        .type("application/pkix-cert")
        .header("content-disposition", `attachment; filename="${thumbprint}.cer"`)
        .send(der);
    },
  );
};

export default certificateRoutes;
