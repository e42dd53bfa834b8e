#!/usr/bin/env node
// Browser tests need Debian's Chromium at /usr/bin/chromium (Playwright cannot download browsers
// offline). Installs it when we are root on Debian; otherwise says exactly what to run.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    console.error(`browser tests need ${CHROMIUM}: run "sudo apt-get install -y chromium" and try again`);
    process.exit(1);
  }
  console.log("installing Debian chromium for the browser tests…");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}
