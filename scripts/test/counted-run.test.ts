import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const fixture = "scripts/test/fixtures/suite";

/** Runs the guard on the fixture suite (three tests) held to `floor`, in a clean environment. */
function guardedRun(floor: number, env: Record<string, string> = {}) {
  const floors = path.join(mkdtempSync(path.join(tmpdir(), "certfleet-floors-")), "floors.json");
  writeFileSync(floors, JSON.stringify({ vitest: { [`${fixture}/project`]: floor } }));
  // The outer Vitest's own variables would make the nested one think it runs inside a worker.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")),
  );
  const result = spawnSync(process.execPath, ["scripts/counted-run.mjs", "vitest", "--root", fixture], {
    cwd: root,
    env: { ...inherited, CERTFLEET_TEST_FLOORS: floors, ...env },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("counted-run (the guard .ci/run relies on)", () => {
  test("passes a run that ran every test the suite holds", () => {
    const run = guardedRun(3);
    expect(run.output).toContain(`vitest: 3 tests ran (${fixture}/project 3), 0 failed`);
    expect(run.status).toBe(0);
  });

  test("fails when a global setup throws, although Vitest itself exits 0", () => {
    const run = guardedRun(3, { FIXTURE_BREAK_SETUP: "1" });
    expect(run.output).toContain("global setup broken on purpose");
    expect(run.output).toContain("FAIL: no test ran");
    expect(run.output).toContain(`${fixture}/project ran 0 tests, fewer than the 3 it holds`);
    expect(run.status).toBe(1);
  });

  test("fails a green run that ran fewer tests than the floor", () => {
    const run = guardedRun(4);
    expect(run.output).toContain(`${fixture}/project ran 3 tests, fewer than the 4 it holds`);
    expect(run.status).toBe(1);
  });

  test("fails when a test fails", () => {
    const run = guardedRun(3, { FIXTURE_FAIL_TEST: "yes" });
    expect(run.output).toContain("1 failed");
    expect(run.status).not.toBe(0);
  });

  test("fails when an error escapes every test, although all passed and Vitest may exit 0", () => {
    const run = guardedRun(3, { FIXTURE_UNHANDLED_ERROR: "yes" });
    expect(run.output).toContain("unhandled on purpose");
    expect(run.output).toContain("FAIL: 1 unhandled error (printed above by Vitest)");
    expect(run.status).toBe(1);
  });
});

describe("counted-run collector (the Pester suite needs PowerShell 7)", () => {
  /** counted-run with a tools folder that holds neither PowerShell nor Pester, and no pwsh on PATH. */
  function withoutPowerShell(env: Record<string, string>) {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && name !== "CI"),
    );
    const empty = mkdtempSync(path.join(tmpdir(), "certfleet-no-tools-"));
    const result = spawnSync(process.execPath, ["scripts/counted-run.mjs", "collector"], {
      cwd: root,
      env: { ...inherited, PATH: path.dirname(process.execPath), CERTFLEET_TOOLS_DIR: empty, ...env },
      encoding: "utf8",
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  test("outside CI, says in one line that the suite did not run and how to install it", () => {
    const run = withoutPowerShell({});
    const lines = run.output.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("the collector suite (Pester) did not run");
    expect(lines[0]).toContain("node scripts/ensure-pwsh.mjs");
    expect(run.status).toBe(0);
  });

  test("under CI=true, fails instead", () => {
    const run = withoutPowerShell({ CI: "true" });
    expect(run.output).toContain("FAIL: PowerShell 7 and Pester are missing");
    expect(run.status).toBe(1);
  });
});
