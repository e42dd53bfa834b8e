import { type FSWatcher, watch } from "node:fs";
import { chmod, lstat, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@certfleet/db";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/global-setup";

/** Every file and directory below `root` (root included), with its permission bits. */
async function modes(root: string): Promise<{ file: string; mode: number; directory: boolean }[]> {
  const found = [];
  const own = await lstat(root);
  found.push({ file: root, mode: own.mode & 0o777, directory: own.isDirectory() });
  if (!own.isDirectory()) return found;
  for (const entry of await readdir(root)) found.push(...(await modes(path.join(root, entry))));
  return found;
}

describe("embedded Postgres initialisation", () => {
  it("leaves nothing another OS user can read: no password file in the shared temp dir, a private data dir", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-private-"));
    // The library used to write the database password to <os.tmpdir()>/pg-password-* (0644) while
    // initdb ran. This process's temp dir is a fresh one, watched, so other processes on the machine
    // (parallel test runs initialising their own clusters) cannot muddle what it sees.
    const sharedTmp = await mkdtemp(path.join(tmpdir(), "certfleet-shared-tmp-"));
    await chmod(sharedTmp, 0o1777); // like /tmp: anyone may create files there
    const previousTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = sharedTmp;
    const sharedTmpFiles: string[] = [];
    const watcher: FSWatcher = watch(sharedTmp, (_event, name) => {
      if (name) sharedTmpFiles.push(String(name));
    });
    try {
      const server = await startEmbeddedPostgres({
        dataDir,
        port: await freePort(),
        settings: { shared_buffers: "32MB" },
      });
      await server.stop();
      watcher.close();
      expect(sharedTmpFiles.filter((name) => name.startsWith("pg-password-"))).toEqual([]);

      const entries = await modes(dataDir);
      // The cluster, the generated credentials and initdb's own files are all there ...
      const names = entries.map((entry) => path.relative(dataDir, entry.file));
      expect(names).toContain("embedded-postgres.json");
      expect(names).toContain(path.join("postgres", "PG_VERSION"));
      expect(names).toContain(path.join("postgres", "pg_hba.conf"));
      // ... the private temp dir initdb's password went to is gone ...
      expect(names.filter((name) => name.startsWith(".initdb-"))).toEqual([]);
      // ... and nothing grants group or others read or write. The data dir itself may carry o+x
      // (search only, added as root so the postgres OS user can reach the cluster below it).
      const open = entries.filter((entry) => (entry.mode & 0o066) !== 0);
      expect(open.map((entry) => `${entry.file} ${entry.mode.toString(8)}`)).toEqual([]);
      expect((await stat(dataDir)).mode & 0o777).toBeOneOf([0o700, 0o701]);
      expect((await stat(path.join(dataDir, "postgres"))).mode & 0o777).toBe(0o700);
    } finally {
      watcher.close();
      if (previousTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmpdir;
      await rm(sharedTmp, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
