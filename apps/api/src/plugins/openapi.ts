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
    await app.register(swaggerUi, { routePrefix: "/api/docs" });
  },
  { name: "openapi" },
);
