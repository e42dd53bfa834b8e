import { describe, expect, it } from "vitest";
import { auditApiSearch, auditFilterSearch, parseAuditUrl, toAuditParams } from "../src/lib/audit-query";

describe("audit filter", () => {
  it("keeps the filter in the URL and drops malformed dates", () => {
    const filters = parseAuditUrl(
      new URLSearchParams("action=task.&actor=a@b.c&from=2026-11-01&to=yesterday"),
    );
    expect(filters).toEqual({ action: "task.", actor: "a@b.c", entityType: "", from: "2026-11-01", to: "" });
    expect(auditFilterSearch(filters)).toBe("action=task.&actor=a%40b.c&from=2026-11-01");
  });

  it("turns local days into instants, To inclusive", () => {
    const params = toAuditParams({
      action: "",
      actor: "",
      entityType: "user",
      from: "2026-11-01",
      to: "2026-11-03",
    });
    expect(params).toEqual({
      entityType: "user",
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 4).toISOString(),
    });
    expect(auditApiSearch(params, 100, "42")).toBe(
      `entityType=user&from=${encodeURIComponent(params.from ?? "")}&to=${encodeURIComponent(params.to ?? "")}&limit=100&cursor=42`,
    );
  });
});
