import { HealthSchema } from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

const VERSION = process.env.npm_package_version ?? "0.1.0";
/** A probe must answer fast: a database that has not answered SELECT 1 in this time counts as down. */
const PROBE_TIMEOUT_MS = 2_000;
const RETRY_AFTER_SECONDS = 5;

async function databaseAnswers(query: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      query().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

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
      const database: "up" | "down" = (await databaseAnswers(() => app.db.$queryRaw`SELECT 1`))
        ? "up"
        : "down";
      const body = {
        status: database === "up" ? ("ok" as const) : ("degraded" as const),
        database,
        version: VERSION,
      };
      if (database === "down") reply.header("retry-after", String(RETRY_AFTER_SECONDS));
      return reply.status(database === "up" ? 200 : 503).send(body);
    },
  );
};

export default healthRoutes;
