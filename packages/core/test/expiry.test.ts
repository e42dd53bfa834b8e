import { describe, expect, it } from "vitest";
import { daysUntil, expiryBucket, formatDay, isExpired } from "../src/index";

const now = new Date("2026-06-01T12:00:00Z");
const plus = (days: number, hours = 0) => new Date(now.getTime() + days * 86_400_000 + hours * 3_600_000);

describe("daysUntil", () => {
  it("counts whole days rounded down", () => {
    expect(daysUntil(plus(7), now)).toBe(7);
    expect(daysUntil(plus(6, 23), now)).toBe(6);
    expect(daysUntil(plus(0), now)).toBe(0);
  });

  it("is negative once expired", () => {
    expect(daysUntil(plus(0, -1), now)).toBe(-1);
    expect(daysUntil(plus(-3), now)).toBe(-3);
  });

  it("accepts ISO strings", () => {
    expect(daysUntil("2026-06-11T12:00:00Z", now)).toBe(10);
  });

  it("rejects invalid dates", () => {
    expect(() => daysUntil("soon", now)).toThrow(RangeError);
  });
});

describe("isExpired", () => {
  it("notAfter itself is still valid (RFC 5280: inclusive)", () => {
    expect(isExpired(now, now)).toBe(false);
    expect(isExpired(new Date(now.getTime() - 1), now)).toBe(true);
  });
});

describe("expiryBucket", () => {
  it.each([
    [plus(-1), "expired"],
    [plus(0, -1), "expired"],
    [plus(0), "d7"],
    [plus(7), "d7"],
    [plus(7, 23), "d7"],
    [plus(8), "d30"],
    [plus(30), "d30"],
    [plus(31), "d60"],
    [plus(60), "d60"],
    [plus(61), "d90"],
    [plus(90), "d90"],
    [plus(91), "later"],
    [plus(3650), "later"],
  ] as const)("%s -> %s", (notAfter, bucket) => {
    expect(expiryBucket(notAfter, now)).toBe(bucket);
  });
});

describe("formatDay", () => {
  it("prints the UTC date", () => {
    expect(formatDay("2026-12-31T23:59:59Z")).toBe("2026-12-31");
  });
});
