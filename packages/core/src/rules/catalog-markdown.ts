import { RULE_CATALOG } from "./catalog";

/** docs/rules.md, rendered from the catalog so the documentation cannot drift from the code. */
export function renderRuleCatalogMarkdown(): string {
  const lines = [
    "# SCOM channel certificate rules",
    "",
    "<!-- Generated from packages/core/src/rules/catalog.ts by `pnpm docs:rules`; a test fails when it is stale. -->",
    "",
    "Every finding carries one of these stable rule ids, a severity, a message naming the concrete",
    "values that failed, and a remediation. Host status is `error` if any finding is an error, else",
    "`warning` if any is a warning, else `ok`; `info` findings never change it.",
    "",
    "| id | title | severity | what SCOM needs | source in the SCOM documentation |",
    "|---|---|---|---|---|",
  ];
  for (const rule of RULE_CATALOG) {
    lines.push(
      `| \`${rule.id}\` | ${rule.title} | ${rule.defaultSeverity} | ${escapeCell(rule.scomNeeds)} | ${escapeCell(rule.seedReference ?? "certfleet")} |`,
    );
  }
  lines.push("", "## Remediation", "");
  for (const rule of RULE_CATALOG) lines.push(`- **\`${rule.id}\`** — ${rule.remediation}`);
  return `${lines.join("\n")}\n`;
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|");
}
