import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allRoutePolicies, renderAccessMarkdown } from "../src/access-doc";

describe("docs/api-access.md", () => {
  it("lists every route with its least role (run `pnpm docs:access` when this fails)", async () => {
    const policies = await allRoutePolicies();
    const rendered = renderAccessMarkdown(policies);
    expect(rendered).toContain("| POST | `/api/v1/tasks/bulk-assign` | lead+ |");
    expect(readFileSync(new URL("../../../docs/api-access.md", import.meta.url), "utf8")).toBe(rendered);
  });
});
