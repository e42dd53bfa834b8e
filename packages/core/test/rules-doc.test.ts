import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULE_IDS, renderRuleCatalogMarkdown } from "../src/index";

describe("docs/rules.md", () => {
  it("lists every rule id and matches the catalog (run `pnpm docs:rules` when this fails)", () => {
    const rendered = renderRuleCatalogMarkdown();
    for (const id of RULE_IDS) expect(rendered).toContain(`| \`${id}\` |`);
    expect(readFileSync(new URL("../../../docs/rules.md", import.meta.url), "utf8")).toBe(rendered);
  });
});
