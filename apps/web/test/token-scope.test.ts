import { describe, expect, it } from "vitest";
import { actorLabel } from "../src/lib/audit-actor";
import { describeScope, isFleetWide, scopeFromText, splitList } from "../src/lib/token-scope";

describe("token scope text", () => {
  it("splits on commas, semicolons and new lines, dropping blanks", () => {
    expect(splitList(" MG-DMZ, ;MG-EDGE\n\n.dmz.contoso.com ")).toEqual([
      "MG-DMZ",
      "MG-EDGE",
      ".dmz.contoso.com",
    ]);
    expect(scopeFromText("", " ")).toEqual({ managementGroups: [], fqdnSuffixes: [] });
  });

  it("reads as fleet-wide without limits, else names them", () => {
    expect(isFleetWide({ managementGroups: [], fqdnSuffixes: [] })).toBe(true);
    expect(describeScope({ managementGroups: [], fqdnSuffixes: [] })).toBe("Fleet-wide");
    expect(describeScope({ managementGroups: ["MG-DMZ"], fqdnSuffixes: [".dmz.contoso.com"] })).toBe(
      "groups MG-DMZ; hosts ending .dmz.contoso.com",
    );
  });
});

describe("audit actor", () => {
  it("names people by e-mail and certfleet's own changes by the token whose report caused them", () => {
    expect(actorLabel({ actor: "lead@contoso.com", after: null })).toBe("lead@contoso.com");
    expect(
      actorLabel({ actor: null, after: { reportedBy: { tokenId: 3, tokenName: "dmz collector" } } }),
    ).toBe('certfleet (report from token "dmz collector")');
    expect(actorLabel({ actor: null, after: { status: "done" } })).toBe("certfleet");
  });
});
