import { databaseRole, grantRuntimePrivileges, migrateDatabase } from "@certfleet/db";
import { ConfigError, loadConfig } from "./config";

/**
 * One-shot entry point (`node --import tsx apps/api/src/migrate.ts`, docker compose's `migrate`
 * service): applies the migrations as the schema owner (MIGRATION_DATABASE_URL) and grants the
 * app's role (DATABASE_URL) what it needs, so the API itself never holds the owner's password.
 */
async function main(): Promise<void> {
  const say = (line: string) => console.log(`[certfleet migrate] ${line}`);
  const config = loadConfig();
  if (!config.databaseUrl || !config.migrationDatabaseUrl)
    throw new ConfigError(
      "MIGRATION_DATABASE_URL",
      "and DATABASE_URL must both be set to run migrations apart",
    );
  await migrateDatabase(config.migrationDatabaseUrl, say);
  const runtimeRole = databaseRole(config.databaseUrl);
  await grantRuntimePrivileges(config.migrationDatabaseUrl, runtimeRole);
  say(`schema up to date; ${runtimeRole} may read and write data but not alter tables or the audit log`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    `[certfleet migrate] ${error instanceof ConfigError ? "configuration error: " : "failed: "}${message}`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
});
