#!/usr/bin/env node
// Runs the collector's Pester suite (collector/tests) under PowerShell 7 and prints the counts.
//
//   node scripts/run-pester.mjs [test files or folders…]
//
// CERTFLEET_PESTER_RESULTS names a file to write { passed, failed, skipped } to: scripts/counted-run.mjs
// reads it to hold the suite to its floor. Needs PowerShell and Pester: node scripts/ensure-pwsh.mjs.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findPowerShell, INSTALL_HINT, PESTER_VERSION } from "./ensure-pwsh.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const paths = process.argv.slice(2);
const found = findPowerShell();
if (!found) {
  console.error(`[run-pester] PowerShell 7 with Pester ${PESTER_VERSION} is not installed: ${INSTALL_HINT}`);
  process.exit(1);
}

// Single quotes in PowerShell literals are doubled; paths come from this repository and the caller.
const literal = (text) => `'${text.replaceAll("'", "''")}'`;
const testPaths = (paths.length ? paths : ["collector/tests"]).map((p) => literal(path.resolve(root, p)));
const command = `
$ErrorActionPreference = 'Stop'
$env:PSModulePath = ${literal(found.modulesDir)} + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module Pester -RequiredVersion ${PESTER_VERSION}
$configuration = New-PesterConfiguration
$configuration.Run.Path = @(${testPaths.join(", ")})
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration
# A file that fails to load or a failing BeforeAll counts as a failure even when no It ran.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$counts = [ordered]@{ passed = $result.PassedCount; failed = $failed; skipped = $result.SkippedCount + $result.NotRunCount }
if ($env:CERTFLEET_PESTER_RESULTS) { $counts | ConvertTo-Json | Set-Content -LiteralPath $env:CERTFLEET_PESTER_RESULTS -Encoding utf8 }
Write-Host ("collector: {0} passed, {1} failed" -f $counts.passed, $counts.failed)
if ($failed -gt 0) { exit 1 }
exit 0
`;
const result = spawnSync(found.pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", command], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, CERTFLEET_PWSH: found.pwsh },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
