import pg from "pg";
import { quoteIdentifier } from "./embedded";

/** The schema pg-boss (the job queue) keeps its tables in (apps/api/src/plugins/jobs.ts). */
const JOB_QUEUE_SCHEMA = "pgboss";

/**
 * Two database roles (docs/deployment.md): the migrator owns the schema and runs migrations; the
 * runtime role, the one the app connects as, may read and write the data but owns nothing, so it
 * cannot ALTER TABLE ... DISABLE TRIGGER, drop the append-only trigger, or rewrite the audit log.
 *
 * Run as the migrator after every migration (tables a migration adds need their grants): the
 * runtime role gets SELECT/INSERT/UPDATE/DELETE on every table and the sequences its inserts use,
 * then loses UPDATE, DELETE and TRUNCATE on the audit log and any write to Prisma's migration
 * ledger (it still reads it, to see that nothing is pending).
 */
export async function grantRuntimePrivileges(migratorUrl: string, runtimeRole: string): Promise<void> {
  const role = quoteIdentifier(runtimeRole);
  const client = new pg.Client({ connectionString: migratorUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "AuditEvent" FROM ${role}`);
    await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM ${role}`);
    // pg-boss creates its schema and tables on first start and attaches a partition per queue,
    // which only their owner may do: so the runtime role creates (and owns) them. It needs CREATE
    // on the database for that first CREATE SCHEMA; it owns nothing of certfleet's own schema.
    const queue = await client.query<{ installed: boolean; database: string }>(
      "SELECT to_regnamespace($1) IS NOT NULL AS installed, current_database() AS database",
      [JOB_QUEUE_SCHEMA],
    );
    const { installed, database } = queue.rows[0] ?? { installed: true, database: "" };
    if (!installed) await client.query(`GRANT CREATE ON DATABASE ${quoteIdentifier(database)} TO ${role}`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** The role a postgresql:// URL signs in as. */
export function databaseRole(url: string): string {
  return decodeURIComponent(new URL(url).username);
}
