export {
  createDatabaseClient,
  type Database,
  databasePool,
  type DatabaseClientOptions,
  type DatabaseTimeouts,
  DEFAULT_DATABASE_TIMEOUTS,
} from "./client";
export type { EmbeddedPostgresOptions, RunningEmbeddedPostgres } from "./embedded";
export { createDatabaseIfMissing, quoteIdentifier, startEmbeddedPostgres } from "./embedded";
export type * from "./generated/prisma/client";
export { Prisma } from "./generated/prisma/client";
export { migrateDatabase } from "./migrate";
