import { describe, expect, it } from "vitest";
import { describeCron, shortHash, timeZoneOptions } from "../src/lib/compliance-cron";

describe("describeCron", () => {
  it.each([
    ["0 7 * * 1", "Every Monday at 07:00"],
    ["30 6 * * MON-FRI", "Monday to Friday at 06:30"],
    ["0 18 * * 1,3,5", "Every Monday, Wednesday, Friday at 18:00"],
    ["0 7 * * 7", "Every Sunday at 07:00"],
    ["5 0 * * *", "Every day at 00:05"],
    ["0 6 1 * *", "On day 1 of every month at 06:00"],
    ["15 * * * *", "Every hour at minute 15"],
    ["*/10 * * * *", "Every 10 minutes"],
    ["* * * * *", "Every minute"],
  ])("%s → %s", (expression, text) => {
    expect(describeCron(expression)).toBe(text);
  });

  it("gives up (null) on shapes it cannot say simply, or on invalid input", () => {
    expect(describeCron("0 7 * 1-6 1")).toBeNull();
    expect(describeCron("0 7 * *")).toBeNull();
    expect(describeCron("0 7 * * FUNDAY")).toBeNull();
  });
});

describe("timeZoneOptions and shortHash", () => {
  it("keeps the preferred zone and UTC in a sorted list", () => {
    const zones = timeZoneOptions("Europe/Berlin");
    expect(zones).toContain("UTC");
    expect(zones).toContain("Europe/Berlin");
    expect([...zones].sort()).toEqual(zones);
  });

  it("shortens a hash to 12 characters", () => {
    expect(shortHash("a".repeat(64))).toBe("aaaaaaaaaaaa");
  });
});
