import { RULE_CATALOG } from "./catalog";
import { certificateAuthenticationLines } from "./catalog-kerberos";
import { CHANNEL_PROBLEMS, LOAD_FAILURES } from "./event-meanings";

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
  lines.push(...connectorEventLines());
  lines.push(...certificateAuthenticationLines());
  return `${lines.join("\n")}\n`;
}

const SOURCE_NAMES = {
  microsoft: "Microsoft (event reference, articles, management pack knowledge)",
  seed: "the seed (import steps 9-10)",
  inferred: "inferred by certfleet",
} as const;

/** The OpsMgr Connector events the `events` rule reads, with where each meaning comes from. */
function connectorEventLines(): string[] {
  const lines = [
    "",
    "## OpsMgr Connector events",
    "",
    "The `events` rule reads these from the Operations Manager log. Only the newest certificate-load event",
    "counts (20053, or a load failure: error); channel problems after a good load are warnings. Events are",
    "ordered by time, then by record id (the log's own order) when every event of the same time has one, else",
    "by the collector's list. Events older than the binding (the later of the bound certificate's notBefore",
    "and the registry key's last write, when the report has it) say nothing about the certificate bound now: when the",
    "newest load event is that old, the load is **unconfirmed** (info: neither passed nor failed; restart the",
    "Health Service or re-run MOMCertImport, then look for a new 20053), and older channel problems and 21020",
    "notices are not counted. A 20051 (not currently valid) before the notBefore of a certificate that is still",
    "not yet valid stays an error: it is what SCOM logs for that certificate. A renewal task closes only on a",
    "20053 newer than the certificate and than the first report that showed it bound, with no channel problem",
    "after it.",
    "",
    "| event | kind | meaning | source of the meaning |",
    "|---|---|---|---|",
    "| 20053 | certificate loaded | the authentication certificate was loaded | the seed (import step 9) |",
  ];
  const rows = [
    ...Object.entries(LOAD_FAILURES).map(([id, meaning]) => ({ id, kind: "load failure (error)", meaning })),
    ...Object.entries(CHANNEL_PROBLEMS).map(([id, meaning]) => ({
      id,
      kind: "channel problem (warning)",
      meaning,
    })),
  ].sort((a, b) => Number(a.id) - Number(b.id));
  for (const { id, kind, meaning } of rows) {
    lines.push(`| ${id} | ${kind} | ${escapeCell(meaning.meaning)} | ${SOURCE_NAMES[meaning.source]} |`);
  }
  lines.push(
    "",
    "21020 (the loaded certificate is about to expire) after the newest load is a warning. 21022 (no certificate",
    "specified) is named in the `registry-serial` error when the registry value is absent, as confirming it.",
  );
  return lines;
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|");
}
