import { describe, expect, it } from "vitest";
import { toDateInput, withDay } from "../src/lib/date-input";

describe("due date input", () => {
  it("moves the day and keeps the local time of day", () => {
    const due = new Date(2026, 10, 24, 17, 30).toISOString();
    expect(toDateInput(due)).toBe("2026-11-24");
    expect(withDay(due, "2026-12-02")).toBe(new Date(2026, 11, 2, 17, 30).toISOString());
  });

  it("rejects days that do not exist", () => {
    const due = new Date(2026, 0, 1).toISOString();
    expect(withDay(due, "2026-02-31")).toBeUndefined();
    expect(withDay(due, "")).toBeUndefined();
  });
});
