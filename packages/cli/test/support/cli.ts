import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestApp, type TestApp } from "../../../../apps/api/test/support/app";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/certfleet.mjs");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `certfleet …` exactly as a user does (node bin/certfleet.mjs, a child process), in `cwd`,
 * with none of the CERTFLEET_* or pnpm variables of the test run leaking in.
 */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  return collect(process.execPath, [BIN, ...args], options);
}

/**
 * Runs `certfleet …` on a terminal: util-linux `script` gives it a pseudo-terminal, so stdout and
 * stderr are TTYs (and arrive merged, in `stdout`).
 */
export function runCliOnTerminal(args: string[], options: { cwd: string }): Promise<CliRun> {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return collect("script", ["--quiet", "--return", "--command", command, "/dev/null"], options);
}

function collect(
  file: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("CERTFLEET_") && !name.startsWith("npm_") && name !== "INIT_CWD") env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ListeningApi extends TestApp {
  /** Base URL of the real API listening on a loopback port. */
  url: string;
}

/** The real API (createTestApp: its own fresh database) listening on a free loopback port. */
export async function startApi(env: Record<string, string> = {}): Promise<ListeningApi> {
  const t = await createTestApp(env);
  const url = await t.app.listen({ host: "127.0.0.1", port: 0 });
  return Object.assign(t, { url });
}

/** A scratch folder, removed by the returned function. */
export async function scratchDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "certfleet-cli-test-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A new collector token with exactly these scopes (reports, inventory, read), made through the admin API. */
export async function tokenWithScopes(api: ListeningApi, scopes: string[]): Promise<string> {
  const admin = await api.as("admin");
  const response = await api.app.inject({
    method: "POST",
    url: "/api/v1/tokens",
    headers: admin.headers,
    payload: { name: `cli test ${scopes.join("+")}`, scopes },
  });
  if (response.statusCode !== 201)
    throw new Error(`token not created: ${response.statusCode} ${response.body}`);
  return response.json<{ token: string }>().token;
}
