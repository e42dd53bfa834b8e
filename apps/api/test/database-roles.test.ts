import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import {
  createDatabaseClient,
  type Database,
  grantRuntimePrivileges,
  migrateDatabase,
  quoteIdentifier,
} from "@certfleet/db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { bootstrapAdmin } from "../src/services/users";
import { signIn, TEST_ADMIN } from "./support/app";
import { withAdmin, withDatabase } from "./support/global-setup";

/**
 * The deployment docs' two roles on a real Postgres: a migrator that owns the schema, and the
 * runtime role the app connects as. Roles are cluster-wide, so their names are unique to the run.
 */
const suffix = randomBytes(4).toString("hex");
const migrator = { name: `cf_migrator_${suffix}`, password: randomBytes(12).toString("hex") };
const runtime = { name: `cf_app_${suffix}`, password: randomBytes(12).toString("hex") };
const database = `certfleet_roles_${suffix}`;
const adminUrl = inject("adminDatabaseUrl");

function urlAs(role: { name: string; password: string }): string {
  const url = new URL(withDatabase(adminUrl, database));
  url.username = role.name;
  url.password = role.password;
  return url.toString();
}

let runtimeClient: pg.Client;
beforeAll(async () => {
  await withAdmin(adminUrl, async (client) => {
    for (const role of [migrator, runtime])
      await client.query(
        `CREATE ROLE ${quoteIdentifier(role.name)} LOGIN PASSWORD '${role.password}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
      );
    await client.query(
      `CREATE DATABASE ${quoteIdentifier(database)} OWNER ${quoteIdentifier(migrator.name)}`,
    );
  });
  // As the deployment does it: the migrator migrates, then grants the runtime role its share.
  await migrateDatabase(urlAs(migrator));
  await grantRuntimePrivileges(urlAs(migrator), runtime.name);
  runtimeClient = new pg.Client({ connectionString: urlAs(runtime) });
  await runtimeClient.connect();
}, 180_000);

afterAll(async () => {
  await runtimeClient?.end();
  await withAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
    for (const role of [runtime, migrator])
      await client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(role.name)}`);
  });
});

/** The SQLSTATE a statement run as the runtime role fails with (null: it succeeded). */
async function failureAsRuntime(sql: string): Promise<string | null> {
  try {
    await runtimeClient.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "unknown";
  }
}

describe("the runtime database role", () => {
  it("appends to and reads the audit log", async () => {
    await runtimeClient.query(
      `INSERT INTO "AuditEvent" (action, "entityType", "entityId") VALUES ('test.append', 'test', 'roles')`,
    );
    const rows = await runtimeClient.query(`SELECT id FROM "AuditEvent" WHERE action = 'test.append'`);
    expect(rows.rowCount).toBe(1);
  });

  it("cannot disable or drop the append-only trigger, nor switch triggers off for its session", async () => {
    // 42501 insufficient_privilege: "must be owner of table AuditEvent" / permission denied.
    for (const sql of [
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_or_delete"`,
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`,
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`,
      `DROP TRIGGER "AuditEvent_no_update_or_delete" ON "AuditEvent"`,
      "DROP FUNCTION certfleet_audit_append_only() CASCADE",
      `ALTER TABLE "AuditEvent" OWNER TO CURRENT_USER`,
      "SET session_replication_role = replica",
    ])
      expect(await failureAsRuntime(sql), sql).toBe("42501");
  });

  it("cannot update, delete or truncate audit rows, with or without the trigger", async () => {
    for (const sql of [
      `UPDATE "AuditEvent" SET action = 'forged'`,
      `DELETE FROM "AuditEvent"`,
      `TRUNCATE "AuditEvent"`,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('x', 'x', 'x')`,
    ])
      expect(await failureAsRuntime(sql), sql).toBe("42501");
    const rows = await runtimeClient.query(`SELECT action FROM "AuditEvent" WHERE action = 'test.append'`);
    expect(rows.rows).toEqual([{ action: "test.append" }]);
  });

  it("is enough to run the app: sign-in, reads, writes and the job queue", async () => {
    const url = urlAs(runtime);
    const db: Database = createDatabaseClient(url, 2);
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent", CERTFLEET_JOBS: "true" });
    const app = await buildApp({ config, db, databaseUrl: url });
    try {
      // With nothing pending, the start-up migration check only reads the ledger: fine as this role.
      await migrateDatabase(url);
      await bootstrapAdmin(db, TEST_ADMIN, { mustChangePassword: false });
      const admin = await signIn(app, TEST_ADMIN.email, TEST_ADMIN.password);
      const summary = await app.inject({ method: "GET", url: "/api/v1/summary", headers: admin.headers });
      expect(summary.statusCode).toBe(200);
      const created = await app.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: admin.headers,
        payload: {
          email: "viewer@roles.test",
          name: "Roles Viewer",
          role: "viewer",
          password: "viewer-password-1",
        },
      });
      expect(created.statusCode).toBe(201);
      expect(await db.auditEvent.count({ where: { action: "user.create" } })).toBeGreaterThanOrEqual(1);
      // The job queue installed its own schema, owned by this role (pg-boss attaches partitions to it).
      const queue = await runtimeClient.query<{ owner: string }>(
        "SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'pgboss'",
      );
      expect(queue.rows).toEqual([{ owner: runtime.name }]);
    } finally {
      await app.close();
      await db.$disconnect();
    }
  }, 60_000);
});

/** The script runs psql, as inside the postgres image; a machine without the client skips it. */
const hasPsql = spawnSync("psql", ["--version"]).status === 0;

describe("compose's init script (deploy/postgres/10-certfleet-roles.sh)", () => {
  it.skipIf(!hasPsql)("creates a login role that is no superuser and owns nothing", async () => {
    const role = `cf_init_${suffix}`;
    const admin = new URL(adminUrl);
    try {
      // As the postgres image runs it, but over TCP to the test server (PG* variables reach psql).
      const result = spawnSync(
        "sh",
        [path.resolve(import.meta.dirname, "../../../deploy/postgres/10-certfleet-roles.sh")],
        {
          env: {
            PATH: process.env.PATH,
            PGHOST: admin.hostname,
            PGPORT: admin.port || "5432",
            PGPASSWORD: decodeURIComponent(admin.password),
            POSTGRES_USER: decodeURIComponent(admin.username),
            POSTGRES_DB: database,
            CERTFLEET_DB_APP_ROLE: role,
            CERTFLEET_DB_APP_PASSWORD: 'it\'s a "quoted" password',
          },
          encoding: "utf8",
        },
      );
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const created = await withAdmin(adminUrl, (client) =>
        client.query(
          "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1",
          [role],
        ),
      );
      expect(created.rows).toEqual([
        { rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false },
      ]);
    } finally {
      await withAdmin(adminUrl, (client) => client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(role)}`));
    }
  });
});
