// Writes docs/rules.md from the rule catalog in packages/core.
import { writeFileSync } from "node:fs";
import { renderRuleCatalogMarkdown } from "../packages/core/src/index";

writeFileSync(new URL("../docs/rules.md", import.meta.url), renderRuleCatalogMarkdown());
console.log("docs/rules.md written");
