import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabaseClient, migrateDatabase, quoteIdentifier, startEmbeddedPostgres } from "@certfleet/db";
import { describe, expect, inject, it } from "vitest";
import { freePort, withAdmin, withDatabase } from "./support/global-setup";

describe("migrations", () => {
  it("two instances migrating one fresh database together both succeed, and it is migrated once", async () => {
    const adminUrl = inject("adminDatabaseUrl");
    const name = `certfleet_race_${randomBytes(5).toString("hex")}`;
    await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
    const url = withDatabase(adminUrl, name);
    try {
      await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
      const rows = await withAdmin(url, (client) =>
        client.query<{ migration_name: string }>(
          "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL",
        ),
      );
      const committed = readdirSync(new URL("../../../prisma/migrations", import.meta.url), {
        withFileTypes: true,
      })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      expect(committed.length).toBeGreaterThanOrEqual(2);
      expect(rows.rows.map((row) => row.migration_name).sort()).toEqual(committed);
      const db = createDatabaseClient(url, 1);
      expect(await db.host.count()).toBe(0);
      await db.$disconnect();
    } finally {
      await withAdmin(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
      );
    }
  }, 120_000);
});

describe("embedded Postgres", () => {
  it("initialises on first start, keeps data across a restart, and refuses a second server on the same data", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-embedded-"));
    const port = await freePort();
    try {
      const first = await startEmbeddedPostgres({ dataDir, port });
      // Plain SQL, not migrations: this is about the cluster keeping data (migrations are tested above).
      await withAdmin(first.url, (client) =>
        client.query("CREATE TABLE kept (name text); INSERT INTO kept VALUES ('MG-PERSIST')"),
      );

      // Sized for ingest (docs/performance.md), durability untouched.
      const settings = await withAdmin(first.url, (client) =>
        client.query<{ name: string; setting: string }>(
          `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`,
          [["max_wal_size", "checkpoint_timeout", "shared_buffers", "fsync", "synchronous_commit"]],
        ),
      );
      expect(Object.fromEntries(settings.rows.map((row) => [row.name, row.setting]))).toEqual({
        max_wal_size: "4GB",
        checkpoint_timeout: "15min",
        shared_buffers: "512MB",
        fsync: "on",
        synchronous_commit: "on",
      });

      await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toThrow(
        /already running/,
      );
      await first.stop();

      const second = await startEmbeddedPostgres({ dataDir, port });
      expect(second.url).toBe(first.url); // same generated credentials
      const kept = await withAdmin(second.url, (client) =>
        client.query<{ name: string }>("SELECT name FROM kept"),
      );
      expect(kept.rows).toEqual([{ name: "MG-PERSIST" }]);
      await second.stop();
      const credentials = await stat(path.join(dataDir, "embedded-postgres.json"));
      expect(credentials.mode & 0o077).toBe(0); // the generated password is readable by its owner only
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
