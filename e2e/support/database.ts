import { randomBytes } from "node:crypto";
import pg from "pg";

/** A fresh, unguessable database name for one e2e run. */
export function newDatabaseName(): string {
  return `certfleet_e2e_${randomBytes(6).toString("hex")}`;
}

/** The same server and credentials as `url`, but database `name` (query parameters are kept). */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function withAdminClient(serverUrl: string, run: (client: pg.Client) => Promise<void>): Promise<void> {
  // CREATE/DROP DATABASE cannot run inside the target database: use the `postgres` maintenance database.
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
}

/** Drops `name`, disconnecting anyone still using it (PostgreSQL 13+). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}
