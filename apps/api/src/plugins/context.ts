import type { Database } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../config";
import type { EstateClock } from "../services/estate/filters";
import type { IngestSettings } from "../services/ingest";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    db: Database;
    /** The rule settings, plus what ingest needs (the silent threshold of the duplicate lookup). */
    evaluationSettings: IngestSettings;
    /** "Now" and the silence threshold, fixed once per request so all its numbers agree. */
    estateClock: () => EstateClock;
  }
}

export interface AppContext {
  config: Config;
  db: Database;
  /** The URL `db` connects to (the embedded one when config.databaseUrl is unset): for LISTEN. */
  databaseUrl: string;
}

/** Shares the validated config and the database client; their lifecycle belongs to the caller. */
export default fp(
  async function contextPlugin(app: FastifyInstance, context: AppContext) {
    app.decorate("config", context.config);
    app.decorate("db", context.db);
    app.decorate("evaluationSettings", {
      expiryWarningDays: context.config.expiryWarningDays,
      trustAnchors: [],
      silentAfterHours: context.config.silentAfterHours,
    });
    app.decorate("estateClock", () => ({
      now: new Date(),
      silentAfterHours: context.config.silentAfterHours,
    }));
  },
  { name: "context" },
);
