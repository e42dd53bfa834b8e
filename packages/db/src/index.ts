export {
  createDatabaseClient,
  type Database,
  type DatabaseClientOptions,
  type DatabaseTimeouts,
  DEFAULT_DATABASE_TIMEOUTS,
  databasePool,
} from "./client";
export type { EmbeddedPostgresOptions, RunningEmbeddedPostgres } from "./embedded";
export { createDatabaseIfMissing, quoteIdentifier, startEmbeddedPostgres } from "./embedded";
export type * from "./generated/prisma/client";
export { Prisma } from "./generated/prisma/client";
export { migrateDatabase } from "./migrate";
export { databaseRole, grantRuntimePrivileges } from "./roles";
