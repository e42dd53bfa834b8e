export { createDatabaseClient, type Database } from "./client";
export { createDatabaseIfMissing, quoteIdentifier, startEmbeddedPostgres } from "./embedded";
export type { EmbeddedPostgresOptions, RunningEmbeddedPostgres } from "./embedded";
export { Prisma } from "./generated/prisma/client";
export type * from "./generated/prisma/client";
export { migrateDatabase } from "./migrate";
