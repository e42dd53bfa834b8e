import { describe, expect, it } from "vitest";
import { diffFields, formatValue } from "../src/lib/change-diff";

describe("diffFields", () => {
  it("lists only the fields that changed, leaving out version bookkeeping", () => {
    expect(
      diffFields(
        { status: "open", assignee: null, priority: "high", version: 1 },
        {
          status: "assigned",
          assignee: { id: 2, name: "Ada", email: "ada@x" },
          priority: "high",
          version: 2,
        },
      ),
    ).toEqual([
      { field: "status", before: "open", after: "assigned" },
      { field: "assignee", before: "—", after: "Ada" },
    ]);
  });

  it("treats a missing snapshot as empty (created / deleted entities)", () => {
    expect(diffFields(null, { status: "open" })).toEqual([{ field: "status", before: "—", after: "open" }]);
    expect(diffFields({ name: "gw" }, undefined)).toEqual([{ field: "name", before: "gw", after: "—" }]);
  });

  it("compares scalars and nested values by content", () => {
    expect(diffFields(null, null)).toEqual([]);
    expect(diffFields("a", "b")).toEqual([{ field: "value", before: "a", after: "b" }]);
    expect(diffFields({ tags: ["a"] }, { tags: ["a"] })).toEqual([]);
  });
});

describe("formatValue", () => {
  it("shortens long values and shows objects as JSON", () => {
    expect(formatValue("x".repeat(200))).toHaveLength(80);
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(false)).toBe("false");
    expect(formatValue("")).toBe("—");
  });
});
