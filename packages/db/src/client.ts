import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export type Database = PrismaClient;

/**
 * How long the pool and the server wait before giving up. Each bounds one way a request could
 * otherwise hang forever: a database that accepts no connection, a runaway query, a transaction
 * left open by a stalled caller (holding its row locks), and a lock wait behind such a caller.
 */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection (or a new one) before the query fails. */
  connectTimeoutMs: number;
  /** Postgres statement_timeout: one statement's run time (57014 query_canceled). */
  statementTimeoutMs: number;
  /** Postgres idle_in_transaction_session_timeout: an open transaction doing nothing (the session is ended). */
  idleInTransactionTimeoutMs: number;
  /** Postgres lock_timeout: waiting for a row or advisory lock (55P03 lock_not_available). */
  lockTimeoutMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  lockTimeoutMs: 10_000,
};

export interface DatabaseClientOptions extends Partial<DatabaseTimeouts> {
  poolSize?: number;
}

/**
 * One pool per process; the API sizes it with CERTFLEET_DB_POOL_SIZE and sets the timeouts from
 * CERTFLEET_DB_* (a bare number is the pool size, as before). The timeouts travel as startup
 * parameters, so every connection the pool opens, including after a database restart, has them;
 * work that legitimately runs longer raises its own with `SET LOCAL statement_timeout`.
 */
export function createDatabaseClient(url: string, options: number | DatabaseClientOptions = {}): Database {
  const { poolSize = 10, ...overrides } = typeof options === "number" ? { poolSize: options } : options;
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...definedOnly(overrides) };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
    lock_timeout: timeouts.lockTimeoutMs,
    // A server that vanished without a FIN (host down, network cut) is noticed instead of waited on.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle connection that dies (Postgres restarting, a network cut) is an 'error' event on the pool;
  // unheard, Node would end the process. The pool has already dropped that connection, and the next
  // query opens a new one, whose failure, if any, reaches its caller as a 503.
  pool.on("error", () => {});
  // The pool is ours so that hot paths can also use it directly (databasePool); $disconnect ends it.
  const adapter = new PrismaPgReleasingBrokenTransactions(pool, { disposeExternalPool: true });
  const db = new PrismaClient({ adapter });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Database, pg.Pool>();

/**
 * The pg pool under a client made by createDatabaseClient (the same connections, timeouts and
 * limits), for the few hot paths where a statement through Prisma costs several times its SQL.
 */
export function databasePool(db: Database): pg.Pool | null {
  return pools.get(db) ?? null;
}

function definedOnly(values: Partial<DatabaseTimeouts>): Partial<DatabaseTimeouts> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type PgTransaction = Awaited<ReturnType<PgAdapter["startTransaction"]>>;

/**
 * Prisma 6.19 ends an interactive transaction by sending COMMIT (or ROLLBACK) and only then
 * handing the connection back to the pool; when that statement fails — the database restarted
 * under the transaction — the connection is never returned. Each restart would then shrink the
 * pool for good until every request waits for a connection that never comes (and $disconnect
 * hangs). This adapter returns such a connection to the pool as broken, so the pool drops it.
 */
class PrismaPgReleasingBrokenTransactions extends PrismaPg {
  override async connect(): Promise<PgAdapter> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      releaseWhenEndFails(transaction);
      return transaction;
    };
    return adapter;
  }
}

function releaseWhenEndFails(transaction: PgTransaction): void {
  const client = (transaction as unknown as { client: pg.PoolClient }).client;
  const executeRaw = transaction.executeRaw.bind(transaction);
  const commit = transaction.commit.bind(transaction);
  const rollback = transaction.rollback.bind(transaction);
  let released = false;
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if ((query.sql === "COMMIT" || query.sql === "ROLLBACK") && !released) {
        released = true;
        client.release(error instanceof Error ? error : new Error(String(error)));
      }
      throw error;
    }
  };
  transaction.commit = async () => {
    if (!released) await commit();
  };
  transaction.rollback = async () => {
    if (!released) await rollback();
  };
}
