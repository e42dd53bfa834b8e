import type { HostListItem } from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import { weeklyExpiry } from "../src/lib/expiry-timeline";

const item = (id: number, daysLeft: number | null, role: HostListItem["role"] = "Agent"): HostListItem => ({
  id,
  fqdn: `h${id}`,
  role,
  managementGroup: null,
  status: "ok",
  reporting: "reporting",
  expected: false,
  certificateAuthRequired: true,
  usesKerberos: false,
  lastReportAt: null,
  expiry: "later",
  boundCertificate:
    daysLeft === null
      ? null
      : { sha256: "x", serialNumber: "01", notAfter: "2027-01-01T00:00:00Z", daysLeft },
  findingCounts: { error: 0, warning: 0, info: 0 },
  worstFinding: null,
});

describe("weeklyExpiry", () => {
  it("puts each host in its week by the API's days left, by role, with running totals", () => {
    const weeks = weeklyExpiry(
      [
        item(1, 0),
        item(2, 6, "Gateway"),
        item(3, 7),
        item(4, 180, "ManagementServer"),
        item(5, 181),
        item(6, -1),
        item(7, null),
      ],
      180,
      0,
    );
    expect(weeks).toHaveLength(26);
    expect(weeks[0]).toMatchObject({ fromDay: 0, toDay: 6, count: 2, cumulative: 2 });
    expect(weeks[0]?.byRole).toEqual({ ManagementServer: 0, Gateway: 1, Agent: 1 });
    expect(weeks[1]).toMatchObject({ fromDay: 7, toDay: 13, count: 1, cumulative: 3 });
    // The last week is cut at day 180: its "expiresWithinDays" link must not promise day 181.
    expect(weeks.at(-1)).toMatchObject({ fromDay: 175, toDay: 180, count: 1, cumulative: 4 });
  });
});
