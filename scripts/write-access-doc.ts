// Writes docs/api-access.md from the API's route policies (no database is touched).
import { writeFileSync } from "node:fs";
import { allRoutePolicies, renderAccessMarkdown } from "../apps/api/src/access-doc";

writeFileSync(
  new URL("../docs/api-access.md", import.meta.url),
  renderAccessMarkdown(await allRoutePolicies()),
);
console.log("docs/api-access.md written");
process.exit(0);
