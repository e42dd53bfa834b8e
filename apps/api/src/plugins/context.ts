import type { EvaluationSettings } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../config";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    db: Database;
    evaluationSettings: EvaluationSettings;
  }
}

export interface AppContext {
  config: Config;
  db: Database;
}

/** Shares the validated config and the database client; their lifecycle belongs to the caller. */
export default fp(
  async function contextPlugin(app: FastifyInstance, context: AppContext) {
    app.decorate("config", context.config);
    app.decorate("db", context.db);
    app.decorate("evaluationSettings", {
      expiryWarningDays: context.config.expiryWarningDays,
      trustAnchors: [],
    });
  },
  { name: "context" },
);
