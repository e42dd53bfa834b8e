#!/usr/bin/env node
// `pnpm start`: builds the web app when its sources changed, starts the API (which starts the
// embedded Postgres when DATABASE_URL is unset), waits for it to be healthy, then starts the web
// app. Ctrl-C stops both, and the API stops its embedded Postgres cleanly.
// Settings are validated by the API's config module (which starts first, so a wrong value stops
// everything with a message naming it); this script only needs the ports and the listen addresses.
// Both listen on loopback unless CERTFLEET_API_HOST / CERTFLEET_WEB_HOST say otherwise: a first
// start on a bare machine, with its published demo passwords, must not be reachable from others.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { listenAddresses } from "./listen-addresses.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(root, "apps/web");
const { apiPort, apiHost, apiUrl, webHost, webUrl, nextStartArgs } = listenAddresses(process.env);
// Next.js would otherwise try to send telemetry from an offline machine.
process.env.NEXT_TELEMETRY_DISABLED = "1";
const log = (line) => console.log(`[certfleet] ${line}`);

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry === ".next") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildWebIfStale() {
  const buildId = path.join(webDir, ".next/BUILD_ID");
  const sources = [webDir, path.join(root, "packages/contracts/src")];
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > Math.max(...sources.map(newestMtime))) return;
  log("building the web app (next build)…");
  const result = spawnSync(process.execPath, [nextBin(), "build"], { cwd: webDir, stdio: "inherit" });
  if (result.status !== 0) {
    log("web build failed");
    process.exit(result.status ?? 1);
  }
}

function nextBin() {
  return path.join(webDir, "node_modules/next/dist/bin/next");
}

async function waitFor(url, child, name, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${name} was not ready at ${url} within ${timeoutMs / 1000} s`);
}

const children = [];
let stopping = false;
/** Stops every child; the first reason wins (a Ctrl-C exits 0 even though the children die of SIGTERM). */
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  const exit = () => process.exit(code);
  // Give the API time to stop Postgres cleanly before we exit.
  const timer = setTimeout(exit, 15000);
  Promise.all(
    children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once("exit", r)))),
  ).then(() => {
    clearTimeout(timer);
    exit();
  });
}

buildWebIfStale();
const api = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    API_PORT: apiPort,
    CERTFLEET_API_HOST: apiHost,
    CERTFLEET_WEB_HOST: webHost,
    // Browsers reach the API through the web app's /api proxy on this machine, which adds
    // X-Forwarded-For: trust it from loopback only, so sign-in limits count each browser's own address
    // rather than lumping every browser together under 127.0.0.1. Set the variable to override.
    CERTFLEET_TRUST_PROXY: process.env.CERTFLEET_TRUST_PROXY ?? "127.0.0.1,::1",
  },
});
children.push(api);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(0));
api.on("exit", (code) => {
  log(`API exited (${code})`);
  stopAll(code ?? 1);
});

try {
  await waitFor(`${apiUrl}/api/health`, api, "API", 180_000);
  const web = spawn(process.execPath, [nextBin(), ...nextStartArgs], {
    cwd: webDir,
    stdio: "inherit",
    env: { ...process.env, CERTFLEET_API_URL: apiUrl },
  });
  children.push(web);
  web.on("exit", (code) => {
    log(`web exited (${code})`);
    stopAll(code ?? 1);
  });
  await waitFor(`${webUrl}/`, web, "web", 60_000);
  log(`certfleet is up: web ${webUrl} (listening on ${webHost}), api ${apiUrl} (listening on ${apiHost})`);
} catch (error) {
  log(error.message);
  stopAll(1);
}
