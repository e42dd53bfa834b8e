import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  migrateDatabase,
  quoteIdentifier,
  type RunningEmbeddedPostgres,
  startEmbeddedPostgres,
} from "@certfleet/db";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A server URL (any database) tests may create and drop databases on. */
    adminDatabaseUrl: string;
    /** A migrated database that each test file clones (CREATE DATABASE … TEMPLATE). */
    templateDatabase: string;
  }
}

/**
 * Integration tests run on a real Postgres: the server DATABASE_URL points at (CI uses the
 * system Postgres), else an embedded one in a temp dir. Each run migrates one fresh template
 * database; each test file clones it, so runs and files never collide.
 */
export default async function setup(project: TestProject) {
  let embedded: RunningEmbeddedPostgres | null = null;
  let dataDir: string | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-test-pg-"));
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres" });
    adminUrl = embedded.url;
  }
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const templateDatabase = `certfleet_template_${runId}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(templateDatabase)}`));
  await migrateDatabase(withDatabase(adminUrl, templateDatabase));

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    await withAdmin(adminUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(templateDatabase)} WITH (FORCE)`),
    );
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

export async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
