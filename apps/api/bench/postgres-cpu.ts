/**
 * CPU time of a local Postgres (the postmaster and all its processes), read from /proc: on a 2-core
 * machine the database's share decides as much as the API's. Null when the server is not on this
 * machine or /proc is not there.
 */
import { readdir, readFile } from "node:fs/promises";
import pg from "pg";

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream build. */
const TICK_MS = 10;

export async function postmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const stat = await readStat(rows[0]?.pid ?? 0);
    return stat?.ppid ?? null;
  } finally {
    await client.end();
  }
}

/** Milliseconds of CPU used so far by the postmaster and its children (live ones: ended backends are gone). */
export async function postgresCpuMs(postmaster: number | null): Promise<number | null> {
  if (postmaster === null) return null;
  let total = 0;
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readStat(Number(entry));
    if (stat && (stat.pid === postmaster || stat.ppid === postmaster)) total += stat.cpuMs;
  }
  return total;
}

async function readStat(pid: number): Promise<{ pid: number; ppid: number; cpuMs: number } | null> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!text) return null;
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { pid, ppid, cpuMs: ticks * TICK_MS };
}
