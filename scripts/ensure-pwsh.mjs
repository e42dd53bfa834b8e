#!/usr/bin/env node
// Installs what the collector's Pester suite needs, idempotently: PowerShell 7 as a .NET tool and
// Pester 5 from the NuGet registry, both under one cache folder outside the repository (so a CI clone
// and a worktree share them). `.ci/run` calls this and fails when it fails; `pnpm test` only looks
// (findPowerShell) and says in one line when the suite cannot run.
//
//   node scripts/ensure-pwsh.mjs          install if missing, print where
//
// CERTFLEET_TOOLS_DIR moves the cache folder (default ~/.cache/certfleet-tools).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** PowerShell 7.6.9 is the newest global tool that runs on the machine's .NET 10 (a 7.7 may want .NET 11). */
export const PWSH_VERSION = "7.6.9";
/** Pester 5 (the suite uses 5's syntax; 6 changed defaults). The newest 5 the NuGet registry serves here. */
export const PESTER_VERSION = "5.7.1";

export const toolsDir = process.env.CERTFLEET_TOOLS_DIR ?? path.join(homedir(), ".cache", "certfleet-tools");
const pwshDir = path.join(toolsDir, `pwsh-${PWSH_VERSION}`);
export const modulesDir = path.join(toolsDir, "powershell-modules");
const pesterDir = path.join(modulesDir, "Pester", PESTER_VERSION);

export const INSTALL_HINT = "node scripts/ensure-pwsh.mjs (needs the .NET SDK: dotnet on PATH)";

/** The pwsh to run and the module folder holding Pester, or null when either is missing. */
export function findPowerShell() {
  if (!existsSync(path.join(pesterDir, "Pester.psd1"))) return null;
  const local = path.join(pwshDir, process.platform === "win32" ? "pwsh.exe" : "pwsh");
  if (existsSync(local)) return { pwsh: local, modulesDir };
  const onPath = spawnSync(
    "pwsh",
    ["-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.Major"],
    {
      encoding: "utf8",
    },
  );
  if (!onPath.error && onPath.status === 0 && Number(onPath.stdout.trim()) >= 7)
    return { pwsh: "pwsh", modulesDir };
  return null;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

function installPwsh() {
  if (existsSync(path.join(pwshDir, "pwsh")) || existsSync(path.join(pwshDir, "pwsh.exe"))) return;
  console.log(`[ensure-pwsh] installing PowerShell ${PWSH_VERSION} (dotnet tool) into ${pwshDir}`);
  run("dotnet", ["tool", "install", "PowerShell", "--version", PWSH_VERSION, "--tool-path", pwshDir]);
}

/**
 * Pester's .nupkg has the module under tools/. A PackageDownload restore fetches exactly that package
 * (no framework assets, no dependencies) through the machine's NuGet configuration.
 */
function installPester() {
  if (existsSync(path.join(pesterDir, "Pester.psd1"))) return;
  console.log(`[ensure-pwsh] installing Pester ${PESTER_VERSION} (NuGet) into ${pesterDir}`);
  const work = mkdtempSync(path.join(tmpdir(), "certfleet-pester-"));
  try {
    const project = path.join(work, "download.csproj");
    writeFileSync(
      project,
      `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[${PESTER_VERSION}]" /></ItemGroup>
</Project>
`,
    );
    const packages = path.join(work, "packages");
    run("dotnet", ["restore", project, "--packages", packages]);
    const module = path.join(packages, "pester", PESTER_VERSION, "tools");
    if (!existsSync(path.join(module, "Pester.psd1")))
      throw new Error(`the Pester ${PESTER_VERSION} package has no tools/Pester.psd1`);
    mkdirSync(path.dirname(pesterDir), { recursive: true });
    cpSync(module, pesterDir, { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function ensurePowerShell() {
  installPwsh();
  installPester();
  const found = findPowerShell();
  if (!found) throw new Error("PowerShell or Pester still missing after the install");
  const version = run(found.pwsh, [
    "-NoProfile",
    "-NonInteractive",
    "-Command",
    "$PSVersionTable.PSVersion.ToString()",
  ]);
  console.log(
    `[ensure-pwsh] PowerShell ${version.trim()} at ${found.pwsh}; Pester ${PESTER_VERSION} in ${modulesDir}`,
  );
  return found;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensurePowerShell();
  } catch (error) {
    console.error(`[ensure-pwsh] FAIL: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
