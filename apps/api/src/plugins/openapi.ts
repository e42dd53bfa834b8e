import { ProblemSchema } from "@certfleet/contracts";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/** OpenAPI 3.1 generated from the same TypeBox schemas that validate requests. */
export default fp(
  async function openapiPlugin(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: "3.1.0",
        info: {
          title: "certfleet API",
          version: "1",
          description: "SCOM channel certificate inventory: collector ingest, estate reads.",
        },
        components: {
          securitySchemes: {
            collectorToken: { type: "http", scheme: "bearer", description: "Collector token" },
          },
        },
      },
    });
    // The docs are public like health and sign-in, and declared so (the access matrix and
    // docs/api-access.md list them): the UI's own routes cannot carry config.access, so their
    // context declares it for them.
    await app.register(async function apiDocs(docs) {
      docs.decorate("defaultRouteAccess", "public");
      await docs.register(swaggerUi, { routePrefix: "/api/docs" });
    });

    // Any route can fail unexpectedly, and then answers problem+json: say so in every operation.
    app.addHook("onRoute", (route) => {
      if (!route.schema || route.url.startsWith("/api/docs")) return;
      const response = (route.schema.response ?? {}) as Record<string, unknown>;
      route.schema.response = { ...response, 500: response[500] ?? ProblemSchema };
    });
  },
  { name: "openapi", dependencies: ["auth"] },
);
