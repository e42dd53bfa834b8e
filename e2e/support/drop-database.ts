// Drops the per-run e2e database. Run by playwright.config.ts from its process 'exit' hook (as a
// child process, because 'exit' handlers cannot wait for async work):
//   DATABASE_URL=<server> CERTFLEET_E2E_DATABASE=<name> node --import tsx e2e/support/drop-database.ts
import { dropDatabase } from "./database";

const serverUrl = process.env.DATABASE_URL;
const name = process.env.CERTFLEET_E2E_DATABASE;
if (!serverUrl || !name) {
  console.error("[e2e] drop-database: DATABASE_URL and CERTFLEET_E2E_DATABASE must be set");
  process.exit(2);
}
try {
  await dropDatabase(serverUrl, name);
} catch (error) {
  console.error(`[e2e] could not drop database ${name}:`, error);
  process.exit(1);
}
