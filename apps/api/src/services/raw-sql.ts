/**
 * Ingest's statements straight on the pg pool. Through Prisma (JS engine, driver adapter) a raw statement
 * cost ~0.5 ms of CPU and a transaction of three ~1.6 ms; on pg itself ~0.12 ms and ~0.37 ms (measured
 * on the 2-core bench machine). The ingest code is written against Prisma's `$queryRaw`/`$executeRaw`
 * tagged templates; `rawSql` offers exactly those two over a pg connection, with Prisma's conversions
 * (Dates sent as UTC, `timestamp` read as UTC, int8 read as BigInt). Anything else the code reaches
 * for (a typed query such as an audit entry: rare on this path) throws NeedsPrisma, and
 * `ingestTransaction` then redoes the whole transaction through Prisma.
 */
import { type Database, databasePool, Prisma } from "@certfleet/db";
import pg from "pg";

type Tx = Prisma.TransactionClient;

/** Raised on the raw path when the code needs a typed Prisma call; never seen by callers of ingestTransaction. */
export class NeedsPrisma extends Error {
  constructor(what: string) {
    super(`${what} needs a Prisma transaction`);
    this.name = "NeedsPrisma";
  }
}

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
/** `timestamp` (without time zone) holds UTC here, as Prisma reads and writes it. */
const parseUtcTimestamp = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP_OID) return parseUtcTimestamp;
    if (oid === INT8_OID) return (text: string) => BigInt(text);
    return pg.types.getTypeParser(oid, format);
  },
};

function toParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toParameter);
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** Prisma's `$queryRaw` and `$executeRaw` over one pg connection (or the pool); nothing else. */
export function rawSql(queryable: pg.Pool | pg.PoolClient): Tx {
  const run = (strings: TemplateStringsArray, values: unknown[]) => {
    const sql = Prisma.sql(strings, ...values);
    return queryable.query({ text: sql.text, values: sql.values.map(toParameter), types });
  };
  const methods: Record<string, unknown> = {
    $queryRaw: async (strings: TemplateStringsArray, ...values: unknown[]) =>
      (await run(strings, values)).rows,
    $executeRaw: async (strings: TemplateStringsArray, ...values: unknown[]) =>
      (await run(strings, values)).rowCount ?? 0,
  };
  return new Proxy(methods, {
    get(target, key) {
      if (typeof key === "string" && key in target) return target[key];
      // Not a thenable (await on the client must not reach for typed calls).
      if (key === "then" || typeof key === "symbol") return undefined;
      throw new NeedsPrisma(`${String(key)}`);
    },
  }) as unknown as Tx;
}

/** Read-only statements outside a transaction: the pool itself, or Prisma for a client without one. */
export function rawQueries(db: Database): Pick<Database, "$queryRaw"> {
  const pool = databasePool(db);
  return pool ? rawSql(pool) : db;
}

/**
 * Runs `work` in one transaction on a pg connection of the pool; when it needs a typed Prisma call
 * (NeedsPrisma), everything is rolled back and `work` runs again in a Prisma transaction. Any other
 * error rolls back and propagates as it is (pg errors are recognised like Prisma's: database-errors.ts,
 * unique-violation.ts). Same isolation (read committed), same statements, same durability.
 */
export async function ingestTransaction<T>(
  db: Database,
  work: (tx: Tx) => Promise<T>,
  options: { maxWait: number; timeout: number },
): Promise<T> {
  const pool = databasePool(db);
  if (pool) {
    try {
      return await onConnection(pool, work);
    } catch (error) {
      if (!(error instanceof NeedsPrisma)) throw error;
    }
  }
  return db.$transaction(work, options);
}

async function onConnection<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out connection that dies between two statements (Postgres restarting) emits 'error';
  // unheard, Node would end the process. The next statement fails anyway, and the connection is
  // then destroyed instead of pooled.
  const onLost = (error: Error) => {
    broken = error;
  };
  client.on("error", onLost);
  try {
    await client.query("BEGIN");
    const result = await work(rawSql(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not handed to anyone else.
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off("error", onLost);
    client.release(broken);
  }
}
