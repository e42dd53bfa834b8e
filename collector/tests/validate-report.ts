// Validates report files against ReportSchema with the compiler the API itself uses (typebox/compile,
// as in apps/api/src/routes/reports.ts), so the collector's output and the contract cannot drift apart.
//   tsx collector/tests/validate-report.ts <report.json>…
// Prints "valid <file>" or each error with its path, and exits 1 when any file is invalid.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ReportSchema } from "../../packages/contracts/src/report";

// typebox is the contracts package's dependency, not the root's: resolve it from there (the same copy).
const contracts = path.resolve(import.meta.dirname, "../../packages/contracts/package.json");
const { Compile } = (await import(
  createRequire(contracts).resolve("typebox/compile")
)) as typeof import("typebox/compile");
const validator = Compile(ReportSchema);

let invalid = 0;
for (const file of process.argv.slice(2)) {
  const report: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (validator.Check(report)) {
    console.log(`valid ${file}`);
    continue;
  }
  invalid += 1;
  for (const error of validator.Errors(report))
    console.log(`invalid ${file}: ${error.instancePath || "/"} ${error.message}`);
}
process.exit(invalid > 0 ? 1 : 0);
