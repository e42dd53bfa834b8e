import { describe, expect, it } from "vitest";
import { primaryManagementGroup, reportedManagementGroupNames } from "../src/report-host";

// Report contract 1.1 (issue 13): an agent can be multi-homed; contract 1 named one group.
describe("primaryManagementGroup", () => {
  it("keeps contract 1's group and primary server when set, whatever 1.1's list says", () => {
    expect(
      primaryManagementGroup({
        managementGroup: "MG-PROD",
        primaryServer: "ms01.contoso.com",
        managementGroups: [{ name: "MG-TEST", primaryServer: "ms09.contoso.com" }],
      }),
    ).toEqual({ name: "MG-PROD", primaryServer: "ms01.contoso.com" });
  });

  it("takes the first of 1.1's groups with its own primary server", () => {
    expect(
      primaryManagementGroup({
        managementGroup: null,
        managementGroups: [{ name: "MG-A", primaryServer: "ms-a.contoso.com" }, { name: "MG-B" }],
      }),
    ).toEqual({ name: "MG-A", primaryServer: "ms-a.contoso.com" });
    expect(primaryManagementGroup({ managementGroups: [{ name: "MG-B" }] })).toEqual({
      name: "MG-B",
      primaryServer: null,
    });
  });

  it("is null when the report names no group", () => {
    expect(primaryManagementGroup({})).toBeNull();
    expect(primaryManagementGroup({ managementGroup: null, managementGroups: [] })).toBeNull();
  });
});

describe("reportedManagementGroupNames", () => {
  it("lists every group once, case-insensitively, the primary first", () => {
    expect(
      reportedManagementGroupNames({
        managementGroup: "MG-PROD",
        managementGroups: [{ name: "mg-prod" }, { name: "MG-DMZ" }, { name: "MG-DMZ" }],
      }),
    ).toEqual(["MG-PROD", "MG-DMZ"]);
    expect(reportedManagementGroupNames({ managementGroup: null })).toEqual([]);
  });
});
