import { HealthSchema } from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

const VERSION = process.env.npm_package_version ?? "0.1.0";

/** For load balancers and start scripts: 200 when the process and the database answer, else 503. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/health",
    {
      config: { access: "public" },
      schema: {
        tags: ["operations"],
        summary: "Liveness and database reachability",
        security: [],
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (_request, reply) => {
      const database = await app.db.$queryRaw`SELECT 1`.then(
        () => "up" as const,
        () => "down" as const,
      );
      const body = {
        status: database === "up" ? ("ok" as const) : ("degraded" as const),
        database,
        version: VERSION,
      };
      return reply.status(database === "up" ? 200 : 503).send(body);
    },
  );
};

export default healthRoutes;
