#!/usr/bin/env node
// Runs a test runner and then checks, from the runner's own JSON report, that it ran at least the
// number of tests the suite holds (scripts/test-floors.json). Why: Vitest 4 exits 0 when a global
// setup throws ("No test files found" after an unhandled error), so a broken setup once turned CI
// green while 748 tests never ran. An exit code alone cannot be trusted; a count can.
//
//   node scripts/counted-run.mjs vitest [vitest args…]
//   node scripts/counted-run.mjs e2e [playwright args…]
//   node scripts/counted-run.mjs collector [Pester test paths…]
//
// The collector's Pester suite needs PowerShell 7 and Pester (node scripts/ensure-pwsh.mjs, which
// .ci/run calls). Without them it is skipped with one line, except under CI=true, where that fails.
//
// Floors apply per project (a top-level folder such as packages/core), so one project that silently
// stops running is caught even when the others grew. With extra arguments (a filter) the floors are
// not checked, only that something ran and nothing failed, unless CERTFLEET_TEST_FLOORS names a
// floors file to hold the run to (the guard's own tests use that).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findPowerShell, INSTALL_HINT } from "./ensure-pwsh.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [runner, ...extraArgs] = process.argv.slice(2);
const VITEST_CONFIGS = ["vitest.config.ts", "vitest.config.mts", "vitest.config.mjs", "vitest.config.js"];
const say = (line) => console.log(`[counted-run] ${line}`);

if (runner !== "vitest" && runner !== "e2e" && runner !== "collector") {
  console.error("usage: node scripts/counted-run.mjs vitest|e2e|collector [runner args…]");
  process.exit(2);
}
if (runner === "collector" && !findPowerShell()) {
  if (process.env.CI === "true") {
    say(`FAIL: PowerShell 7 and Pester are missing, so the collector suite cannot run: ${INSTALL_HINT}`);
    process.exit(1);
  }
  console.log(
    `[counted-run] the collector suite (Pester) did not run: PowerShell 7 is not installed; install it with ${INSTALL_HINT}`,
  );
  process.exit(0);
}

const workDir = mkdtempSync(path.join(tmpdir(), "certfleet-counted-"));
const resultsFile = path.join(workDir, "results.json");
const unhandledErrorsFile = path.join(workDir, "unhandled-errors.json");
let exitCode = 1;
try {
  exitCode = runner === "vitest" ? runVitest() : runner === "e2e" ? runPlaywright() : runPester();
  exitCode = checkCounts(exitCode);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);

function runVitest() {
  const bin = path.join(root, "node_modules/vitest/vitest.mjs");
  const reporter = path.join(root, "scripts/unhandled-errors-reporter.mjs");
  const args = [bin, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${resultsFile}`];
  args.push(`--reporter=${reporter}`);
  const env = { ...process.env, CERTFLEET_UNHANDLED_ERRORS_FILE: unhandledErrorsFile };
  return run(process.execPath, [...args, ...extraArgs], env);
}

function runPlaywright() {
  const chromium = run(process.execPath, [path.join(root, "scripts/ensure-chromium.mjs")], process.env);
  if (chromium !== 0) return chromium;
  const bin = path.join(root, "node_modules/@playwright/test/cli.js");
  const args = [bin, "test", "--config", "e2e/playwright.config.ts", ...extraArgs];
  // The config adds a JSON reporter writing here (beside list and html).
  return run(process.execPath, args, { ...process.env, CERTFLEET_E2E_RESULTS: resultsFile });
}

function runPester() {
  const args = [path.join(root, "scripts/run-pester.mjs"), ...extraArgs];
  return run(process.execPath, args, { ...process.env, CERTFLEET_PESTER_RESULTS: resultsFile });
}

function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Exit code after the count check: the runner's own failure wins; a short count fails a green run. */
function checkCounts(runnerExit) {
  if (!existsSync(resultsFile)) {
    say(`${runner} wrote no results file: it did not run (runner exit ${runnerExit})`);
    return runnerExit || 1;
  }
  const counts =
    runner === "vitest" ? vitestCounts() : runner === "e2e" ? playwrightCounts() : pesterCounts();
  const total = Object.values(counts.byProject).reduce((sum, n) => sum + n, 0);
  const summary = Object.entries(counts.byProject)
    .map(([project, n]) => `${project} ${n}`)
    .join(", ");
  say(`${runner}: ${total} tests ran (${summary || "none"}), ${counts.failed} failed`);
  const problems = [];
  if (total === 0) problems.push("no test ran");
  if (counts.failed > 0) problems.push(`${counts.failed} failed`);
  if (runner === "vitest") problems.push(...unhandledErrors());
  if (extraArgs.length === 0 || process.env.CERTFLEET_TEST_FLOORS)
    problems.push(...belowFloors(counts.byProject));
  for (const problem of problems) say(`FAIL: ${problem}`);
  // The plain closing line CI reads to tell a run that tested something from one that did not.
  console.log(`${runner}: ${total - counts.failed} passed, ${counts.failed} failed`);
  if (runnerExit !== 0) return runnerExit;
  return problems.length ? 1 : 0;
}

function belowFloors(byProject) {
  const floorsFile = process.env.CERTFLEET_TEST_FLOORS ?? path.join(root, "scripts/test-floors.json");
  const floors = JSON.parse(readFileSync(floorsFile, "utf8"))[runner] ?? {};
  const problems = [];
  for (const [project, floor] of Object.entries(floors)) {
    const ran = byProject[project] ?? 0;
    if (ran < floor)
      problems.push(`${project} ran ${ran} tests, fewer than the ${floor} it holds (${floorsFile})`);
    else if (ran > floor) say(`${project} now holds ${ran} tests: raise its floor in ${floorsFile}`);
  }
  return problems;
}

/** Errors Vitest caught outside any test: each fails the run, whatever Vitest's exit code says. */
function unhandledErrors() {
  if (!existsSync(unhandledErrorsFile)) return ["Vitest did not finish its run (no unhandled-error count)"];
  const { count } = JSON.parse(readFileSync(unhandledErrorsFile, "utf8"));
  return count > 0 ? [`${count} unhandled error${count === 1 ? "" : "s"} (printed above by Vitest)`] : [];
}

/** Vitest's JSON report: one entry per test file, its path absolute. */
function vitestCounts() {
  const report = JSON.parse(readFileSync(resultsFile, "utf8"));
  const byProject = {};
  let failed = report.numFailedTests ?? 0;
  for (const file of report.testResults ?? []) {
    const project = projectOf(file.name);
    const ran = (file.assertionResults ?? []).filter((t) => t.status === "passed" || t.status === "failed");
    byProject[project] = (byProject[project] ?? 0) + ran.length;
    // A file that failed to load has no assertions but a failed status.
    if (file.status === "failed" && ran.length === 0) failed += 1;
  }
  return { byProject, failed };
}

/** Playwright's JSON report: stats count every test of every project (setup included). */
function playwrightCounts() {
  const { stats } = JSON.parse(readFileSync(resultsFile, "utf8"));
  const ran = (stats?.expected ?? 0) + (stats?.unexpected ?? 0) + (stats?.flaky ?? 0);
  return { byProject: { e2e: ran }, failed: stats?.unexpected ?? 0 };
}

/** scripts/run-pester.mjs's counts: every It that passed or failed (failed also counts broken files and blocks). */
function pesterCounts() {
  const { passed = 0, failed = 0 } = JSON.parse(readFileSync(resultsFile, "utf8"));
  return { byProject: { collector: passed + failed }, failed };
}

/** The folder of the Vitest config nearest above the test file, relative to the root (its project). */
function projectOf(file) {
  for (let dir = path.dirname(file); dir.startsWith(root) && dir !== root; dir = path.dirname(dir)) {
    if (VITEST_CONFIGS.some((name) => existsSync(path.join(dir, name)))) return path.relative(root, dir);
  }
  return ".";
}
