import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AuditPage } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccounts, disableDemoAccounts, ensureDemoAccounts } from "../src/services/demo-accounts";
import { createTestApp, signIn, TEST_ADMIN, type TestApp } from "./support/app";
import { freePort } from "./support/global-setup";

const root = path.resolve(import.meta.dirname, "../../..");

describe("the API process with the demo on a non-loopback address", () => {
  it.each([
    ["CERTFLEET_API_HOST", { CERTFLEET_API_HOST: "0.0.0.0" }],
    ["CERTFLEET_WEB_HOST", { CERTFLEET_WEB_HOST: "0.0.0.0" }],
  ])("refuses to start, naming CERTFLEET_SEED_DEMO and %s", (host, env) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "certfleet-exposed-"));
    try {
      const inherited = Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !name.startsWith("VITEST") && !name.startsWith("CERTFLEET_") && name !== "DATABASE_URL",
        ),
      );
      const result = spawnSync(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
        cwd: root,
        env: { ...inherited, CERTFLEET_DATA_DIR: dataDir, ...env },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/configuration error: CERTFLEET_SEED_DEMO must be false/);
      expect(result.stderr).toContain(`${host} is "0.0.0.0"`);
      // Refused before anything was created: no embedded cluster, no generated token.
      expect(spawnSync("ls", ["-A", dataDir], { encoding: "utf8" }).stdout.trim()).toBe("");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("demo accounts left from a loopback demo run", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it("are disabled, signed out and audited when the instance listens beyond loopback", async () => {
    await ensureDemoAccounts(t.db);
    const [viewer, , , admin] = demoAccounts();
    if (!viewer || !admin) throw new Error("demo accounts missing");
    const session = await signIn(t.app, admin.email, admin.password);

    expect((await disableDemoAccounts(t.db)).sort()).toEqual(
      demoAccounts()
        .map((a) => a.email)
        .sort(),
    );
    // Published passwords no longer open anything, and the session taken before is gone.
    for (const account of [viewer, admin]) {
      const login = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: account.email, password: account.password },
      });
      expect(login.statusCode).toBe(401);
    }
    const me = await t.app.inject({ method: "GET", url: "/api/v1/auth/session", headers: session.headers });
    expect(me.statusCode).toBe(401);
    // Idempotent: a second start finds nothing to disable.
    expect(await disableDemoAccounts(t.db)).toEqual([]);

    const realAdmin = await signIn(t.app, TEST_ADMIN.email, TEST_ADMIN.password);
    const audit = (
      await t.app.inject({
        method: "GET",
        url: "/api/v1/audit?action=user.update&limit=50",
        headers: realAdmin.headers,
      })
    ).json<AuditPage>();
    const disabled = audit.items.filter((entry) => JSON.stringify(entry.after).includes("beyond loopback"));
    expect(disabled).toHaveLength(4);
  });
});

describe("the API process on a database with demo accounts, its web app listening beyond loopback", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it("disables them at start-up and says so", async () => {
    await ensureDemoAccounts(t.db);
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !name.startsWith("VITEST") && !name.startsWith("CERTFLEET_") && name !== "DATABASE_URL",
      ),
    );
    // The API itself stays on loopback (nothing here listens on other interfaces); the web host
    // setting alone makes the instance reachable from elsewhere.
    const server = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
      cwd: root,
      env: {
        ...inherited,
        DATABASE_URL: t.databaseUrl,
        API_PORT: String(await freePort()),
        CERTFLEET_WEB_HOST: "0.0.0.0",
        CERTFLEET_JOBS: "false",
        LOG_LEVEL: "warn",
      },
    });
    let output = "";
    server.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    server.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes("API listening") && server.exitCode === null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(output).toContain("API listening");
      expect(output).toMatch(
        /disabled the demo accounts \(published passwords\): .*admin@demo\.certfleet\.local/,
      );
      const enabled = await t.db.user.count({
        where: { email: { endsWith: "@demo.certfleet.local" }, disabledAt: null },
      });
      expect(enabled).toBe(0);
    } finally {
      server.kill("SIGTERM");
      await new Promise((resolve) =>
        server.exitCode !== null ? resolve(null) : server.once("exit", resolve),
      );
    }
  }, 90_000);
});
