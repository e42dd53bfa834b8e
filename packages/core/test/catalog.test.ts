import { describe, expect, it } from "vitest";
import { RULE_CATALOG, RULE_IDS, ruleMeta } from "../src/index";

describe("RULE_CATALOG", () => {
  it("describes every rule id once, in RULE_IDS order", () => {
    expect(RULE_CATALOG.map((r) => r.id)).toEqual([...RULE_IDS]);
  });

  it.each(RULE_IDS.map((id) => [id]))("%s has a title, SCOM need, remediation and severity", (id) => {
    const meta = ruleMeta(id);
    expect(meta.title.length).toBeGreaterThan(5);
    expect(meta.scomNeeds).toMatch(/\.$/);
    expect(meta.remediation.length).toBeGreaterThan(20);
    expect(["error", "warning", "info"]).toContain(meta.defaultSeverity);
  });

  it("informational rules default to info; the rest to error", () => {
    const info = RULE_CATALOG.filter((r) => r.defaultSeverity === "info").map((r) => r.id);
    expect(info.sort()).toEqual(["collector-tokens", "exportable", "lifetime", "template-info"]);
  });

  it("names a seed section for every rule except certfleet's own duplicate and collector-token checks", () => {
    const withoutSeed = RULE_CATALOG.filter((r) => r.seedReference === null).map((r) => r.id);
    expect(withoutSeed).toEqual(["duplicate", "collector-tokens"]);
  });

  it("is plain data (serialisable for the API and the compliance report)", () => {
    expect(JSON.parse(JSON.stringify(RULE_CATALOG))).toEqual(RULE_CATALOG);
  });
});
