import { describe, expect, it } from "vitest";
import {
  daysUntil,
  EXPIRY_BUCKETS,
  expiryBucket,
  expiryBucketBounds,
  formatDay,
  isExpired,
} from "../src/index";

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

describe("expiryBucketBounds", () => {
  it("puts every notAfter in the bucket expiryBucket() names, including at each boundary", () => {
    const offsetsInMinutes = [
      -1440,
      -1,
      0,
      1,
      7 * 1440,
      8 * 1440 - 1,
      8 * 1440,
      30 * 1440,
      31 * 1440 - 1,
      31 * 1440,
    ];
    offsetsInMinutes.push(61 * 1440 - 1, 61 * 1440, 91 * 1440 - 1, 91 * 1440, 400 * 1440);
    for (const minutes of offsetsInMinutes) {
      const notAfter = new Date(now.getTime() + minutes * 60_000);
      const bucket = expiryBucket(notAfter, now);
      const { from, to } = expiryBucketBounds(bucket, now);
      expect(from === null || notAfter >= from, `${minutes} min: ${bucket} from`).toBe(true);
      expect(to === null || notAfter < to, `${minutes} min: ${bucket} to`).toBe(true);
      for (const other of EXPIRY_BUCKETS.filter((b) => b !== bucket)) {
        const bounds = expiryBucketBounds(other, now);
        const inside =
          (bounds.from === null || notAfter >= bounds.from) && (bounds.to === null || notAfter < bounds.to);
        expect(inside, `${minutes} min also in ${other}`).toBe(false);
      }
    }
  });
});
