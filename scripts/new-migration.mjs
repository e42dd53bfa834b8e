#!/usr/bin/env node
// pnpm db:migration <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that turns the committed schema (git HEAD) into the working-tree schema.
// Why not `prisma migrate dev` / `--from-migrations`: both need a shadow database, which Prisma
// does not support with a driver adapter (docs/adr/0002-prisma-6-js-engine.md).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: pnpm db:migration <name in snake_case>");
  process.exit(2);
}
if (!process.env.DATABASE_URL) {
  // With a driver adapter configured, the Prisma CLI connects even for a schema-to-schema diff.
  console.error("set DATABASE_URL to any reachable Postgres (the diff connects but changes nothing)");
  process.exit(2);
}
const previous = path.join(mkdtempSync(path.join(tmpdir(), "certfleet-schema-")), "schema.prisma");
writeFileSync(previous, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"]));
const sql = execFileSync(
  "npx",
  [
    "prisma",
    "migrate",
    "diff",
    "--from-schema-datamodel",
    previous,
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
).toString();
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log("the schema has not changed since HEAD: no migration written");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma/migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${dir}/migration.sql: review it before committing`);
