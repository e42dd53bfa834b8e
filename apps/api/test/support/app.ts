import { randomBytes } from "node:crypto";
import { createDatabaseClient, type Database, quoteIdentifier } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { inject } from "vitest";
import { buildApp } from "../../src/app";
import { type Config, loadConfig } from "../../src/config";
import { ensureCollectorToken } from "../../src/services/tokens";
import { withAdmin, withDatabase } from "./global-setup";

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  /** A live collector token for Authorization: Bearer. */
  token: string;
  databaseUrl: string;
  close: () => Promise<void>;
}

/** The real Fastify app on its own fresh database (cloned from the migrated template). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const adminUrl = inject("adminDatabaseUrl");
  const database = `certfleet_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) =>
    client.query(
      `CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE ${quoteIdentifier(inject("templateDatabase"))}`,
    ),
  );
  const databaseUrl = withDatabase(adminUrl, database);
  const config: Config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: "silent", ...env });
  const db = createDatabaseClient(databaseUrl, 4);
  const token = `test-${randomBytes(24).toString("hex")}`;
  await ensureCollectorToken(db, token, "test collector");
  const app = await buildApp({ config, db, databaseUrl });
  return {
    app,
    db,
    token,
    databaseUrl,
    close: async () => {
      await app.close();
      await db.$disconnect();
      await withAdmin(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
      );
    },
  };
}

/** Row counts of every table a report writes: "changes nothing" is asserted against these. */
export type RowCounts = Record<
  "hosts" | "reports" | "certificates" | "findings" | "groups" | "seen" | "bindings",
  number
>;

export async function rowCounts(db: Database): Promise<RowCounts> {
  const [hosts, reports, certificates, findings, groups, seen, bindings] = await Promise.all([
    db.host.count(),
    db.report.count(),
    db.certificate.count(),
    db.hostFinding.count(),
    db.managementGroup.count(),
    db.hostCertificate.count(),
    db.hostBinding.count(),
  ]);
  return { hosts, reports, certificates, findings, groups, seen, bindings };
}
