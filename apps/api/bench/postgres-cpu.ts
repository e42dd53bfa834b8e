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

/**
 * Milliseconds of CPU used so far by the postmaster and its processes: the live ones, plus every one that
 * has ended (the postmaster's cutime/cstime), so the figure only grows while connections come and go.
 */
export async function postgresCpuMs(postmaster: number | null): Promise<number | null> {
  if (postmaster === null) return null;
  let total = 0;
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readStat(Number(entry));
    if (stat?.pid === postmaster) total += stat.cpuMs + stat.endedChildrenCpuMs;
    else if (stat?.ppid === postmaster) total += stat.cpuMs;
  }
  return total;
}

interface ProcessStat {
  pid: number;
  ppid: number;
  cpuMs: number;
  /** CPU of the children this process has waited for (ended backends, for the postmaster). */
  endedChildrenCpuMs: number;
}

async function readStat(pid: number): Promise<ProcessStat | null> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!text) return null;
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ppid = Number(fields[1]);
  // proc(5): utime, stime, cutime, cstime are fields 14-17, i.e. 11-14 counted from the state field.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const childTicks = Number(fields[13]) + Number(fields[14]);
  return { pid, ppid, cpuMs: ticks * TICK_MS, endedChildrenCpuMs: childTicks * TICK_MS };
}
