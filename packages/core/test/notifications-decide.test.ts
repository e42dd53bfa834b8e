import { describe, expect, it } from "vitest";
import {
  type BoundCertificate,
  checkThresholds,
  crossedThreshold,
  DEFAULT_NOTIFICATION_THRESHOLDS,
  dueExpiryNotifications,
  groupIntoMessages,
  newErrorFindings,
  newErrorKey,
  thresholdsFrom,
} from "../src/index";

const now = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
const inDays = (days: number, hours = 0) => new Date(now.getTime() + days * DAY + hours * 3_600_000);
const THRESHOLDS = [30, 14, 7, 1];

function cert(sha: string, notAfter: Date): BoundCertificate {
  return {
    hostFqdn: `${sha}.contoso.com`,
    role: "Agent",
    certificateSha256: sha,
    serialNumber: "01",
    notAfter,
  };
}

describe("crossedThreshold", () => {
  it.each([
    [90, 0, null],
    [31, 0, null],
    [30, 23, 30],
    [30, 0, 30],
    [15, 0, 30],
    [14, 0, 14],
    [8, 0, 14],
    [7, 0, 7],
    [2, 0, 7],
    [1, 0, 1],
    [0, 0, 1],
    [0, -1, 1],
    [-400, 0, 1],
  ] as const)("%i days %i hours left → %s", (days, hours, expected) => {
    expect(crossedThreshold(inDays(days, hours), now, THRESHOLDS)).toBe(expected);
  });

  it("counts an expired certificate at the smallest threshold, whatever it is", () => {
    expect(crossedThreshold(inDays(-1), now, [60, 21])).toBe(21);
    expect(crossedThreshold(inDays(25), now, [60, 21])).toBe(60);
  });

  it("has nothing to cross without thresholds", () => {
    expect(crossedThreshold(inDays(-1), now, [])).toBeNull();
  });
});

describe("dueExpiryNotifications", () => {
  const due = (notAfter: Date, sent: number[] = []) =>
    dueExpiryNotifications([cert("a", notAfter)], THRESHOLDS, now, new Map([["a", sent]]));

  it("fires the threshold a certificate is at", () => {
    expect(due(inDays(25)).map((item) => item.thresholdDays)).toEqual([30]);
    expect(due(inDays(12)).map((item) => item.thresholdDays)).toEqual([14]);
    expect(due(inDays(5)).map((item) => item.thresholdDays)).toEqual([7]);
  });

  it("is silent outside every threshold", () => {
    expect(due(inDays(31))).toEqual([]);
  });

  it("fires once per threshold: nothing again once that threshold was sent", () => {
    expect(due(inDays(25), [30])).toEqual([]);
    expect(due(inDays(12), [14])).toEqual([]);
  });

  it("fires the next threshold when the certificate crosses it", () => {
    expect(due(inDays(12), [30]).map((item) => item.thresholdDays)).toEqual([14]);
    expect(due(inDays(0), [30, 14, 7]).map((item) => item.thresholdDays)).toEqual([1]);
  });

  it("sends only the smallest of thresholds crossed at once, covering the larger ones", () => {
    const [item] = due(inDays(5));
    expect(item?.thresholdDays).toBe(7);
    expect(item?.covers).toEqual([30, 14]);
    // Sent at 7: 30 and 14 never fire afterwards, even though no row names them.
    expect(due(inDays(5), [7])).toEqual([]);
  });

  it("lists as covered only thresholds not already sent", () => {
    expect(due(inDays(5), [30])[0]?.covers).toEqual([14]);
  });

  it("counts an expired certificate once, at the smallest threshold", () => {
    const [item] = due(inDays(-3));
    expect(item).toMatchObject({ thresholdDays: 1, expired: true, daysLeft: -3 });
    expect(due(inDays(-3), [1])).toEqual([]);
    expect(due(inDays(-30), [1])).toEqual([]);
  });

  it("does not fire a larger threshold added after a smaller one was sent", () => {
    const certificates = [cert("a", inDays(12))];
    expect(dueExpiryNotifications(certificates, [21, 14, 7], now, new Map([["a", [7]]]))).toEqual([]);
  });

  it("fires a newly added smaller threshold the certificate has crossed", () => {
    const certificates = [cert("a", inDays(9))];
    const result = dueExpiryNotifications(certificates, [30, 10], now, new Map([["a", [30]]]));
    expect(result.map((item) => item.thresholdDays)).toEqual([10]);
  });

  it("decides per certificate: a renewed certificate starts afresh, the old one is simply absent", () => {
    const sent = new Map([["old", [30, 14, 7]]]);
    // The host is now bound to "new" (10 days left): "old" is not bound, so it is not even considered.
    const result = dueExpiryNotifications([cert("new", inDays(10))], THRESHOLDS, now, sent);
    expect(result.map((item) => [item.certificate.certificateSha256, item.thresholdDays])).toEqual([
      ["new", 14],
    ]);
  });

  it("reports whole days left, rounded down", () => {
    expect(due(inDays(12, 23))[0]?.daysLeft).toBe(12);
  });
});

describe("checkThresholds", () => {
  it("sorts valid thresholds largest first", () => {
    expect(checkThresholds([7, 30, 1, 14])).toEqual({ ok: true, thresholds: [30, 14, 7, 1] });
    expect(checkThresholds([365])).toEqual({ ok: true, thresholds: [365] });
  });

  it.each([
    [[], "at least one"],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9], "at most 8"],
    [[0], "from 1 to 365, got 0"],
    [[366], "got 366"],
    [[1.5], "got 1.5"],
    [[14, 7, 14], "lists 14 twice"],
  ])("refuses %o (%s)", (values, message) => {
    const check = checkThresholds(values);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(message);
  });

  it("reads a stored value, falling back to the defaults when it is missing or broken", () => {
    expect(thresholdsFrom([1, 60])).toEqual([60, 1]);
    expect(thresholdsFrom(undefined)).toEqual([...DEFAULT_NOTIFICATION_THRESHOLDS]);
    expect(thresholdsFrom(["30"])).toEqual([30, 14, 7, 1]);
    expect(thresholdsFrom([0])).toEqual([30, 14, 7, 1]);
  });
});

describe("groupIntoMessages", () => {
  it("puts everything in one message for a digest channel", () => {
    expect(groupIntoMessages([1, 2, 3], true)).toEqual([[1, 2, 3]]);
  });

  it("sends one message per item otherwise", () => {
    expect(groupIntoMessages([1, 2, 3], false)).toEqual([[1], [2], [3]]);
  });

  it("sends nothing when nothing is due, digest or not", () => {
    expect(groupIntoMessages([], true)).toEqual([]);
    expect(groupIntoMessages([], false)).toEqual([]);
  });
});

describe("newErrorFindings", () => {
  const finding = (ruleId: string, certificateSha256: string | null = "a") => ({
    hostFqdn: "h.contoso.com",
    role: "Agent",
    certificateSha256,
    ruleId,
    message: `${ruleId} failed`,
  });

  it("keeps findings never notified, and each only once", () => {
    const result = newErrorFindings([finding("sha256"), finding("sha256"), finding("rsa-2048")], new Set());
    expect(result.map((item) => item.ruleId)).toEqual(["sha256", "rsa-2048"]);
  });

  it("drops a rule already notified for this certificate", () => {
    const notified = new Set([newErrorKey(finding("sha256"))]);
    expect(newErrorFindings([finding("sha256"), finding("rsa-2048")], notified).map((f) => f.ruleId)).toEqual(
      ["rsa-2048"],
    );
  });

  it("notifies the same rule again for a different certificate, or for none", () => {
    const notified = new Set([newErrorKey(finding("sha256", "a"))]);
    expect(newErrorFindings([finding("sha256", "b"), finding("sha256", null)], notified)).toHaveLength(2);
  });
});
