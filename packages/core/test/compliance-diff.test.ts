import type { ComplianceHostState } from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import { compareComplianceStates, cronProblem, diffComplianceRows } from "../src/index";

const state = (status: ComplianceHostState["status"], errors = 0, warnings = 0): ComplianceHostState => ({
  status,
  errors,
  warnings,
  expiry: "later",
});

describe("compareComplianceStates", () => {
  it("ranks status error > warning > never reported > ok", () => {
    expect(compareComplianceStates(state("error", 1), state("warning"))).toBe("better");
    expect(compareComplianceStates(state("warning"), state("ok"))).toBe("better");
    expect(compareComplianceStates(state("ok"), state("error", 1))).toBe("worse");
    expect(compareComplianceStates(state(null), state("ok"))).toBe("better");
    expect(compareComplianceStates(state(null), state("warning", 0, 1))).toBe("worse");
  });

  it("for equal status, fewer error findings is better, then fewer warnings", () => {
    expect(compareComplianceStates(state("error", 3), state("error", 1))).toBe("better");
    expect(compareComplianceStates(state("error", 1), state("error", 2))).toBe("worse");
    expect(compareComplianceStates(state("warning", 0, 2), state("warning", 0, 1))).toBe("better");
    expect(compareComplianceStates(state("ok"), state("ok"))).toBe("unchanged");
  });
});

describe("diffComplianceRows", () => {
  const from = [
    { fqdn: "better.contoso.com", state: state("error", 2) },
    { fqdn: "worse.contoso.com", state: state("ok") },
    { fqdn: "same.contoso.com", state: state("warning", 0, 1) },
    { fqdn: "gone.contoso.com", state: state("ok") },
  ];
  const to = [
    { fqdn: "new.contoso.com", state: state("warning", 0, 1) },
    { fqdn: "same.contoso.com", state: state("warning", 0, 1) },
    { fqdn: "worse.contoso.com", state: state("error", 1) },
    { fqdn: "better.contoso.com", state: state("ok") },
  ];

  it("sorts every host into better, worse, new, gone or unchanged", () => {
    const diff = diffComplianceRows(from, to);
    expect(diff.better).toEqual([{ fqdn: "better.contoso.com", from: state("error", 2), to: state("ok") }]);
    expect(diff.worse).toEqual([{ fqdn: "worse.contoso.com", from: state("ok"), to: state("error", 1) }]);
    expect(diff.new).toEqual([{ fqdn: "new.contoso.com", from: null, to: state("warning", 0, 1) }]);
    expect(diff.gone).toEqual([{ fqdn: "gone.contoso.com", from: state("ok"), to: null }]);
    expect(diff.unchanged).toBe(1);
    expect(diff.counts).toEqual({ better: 1, worse: 1, new: 1, gone: 1, unchanged: 1 });
  });

  it("caps each list but keeps complete counts", () => {
    const many = Array.from({ length: 5 }, (_, index) => ({
      fqdn: `h${index}.contoso.com`,
      state: state("ok"),
    }));
    const diff = diffComplianceRows([], many, 2);
    expect(diff.new.map((entry) => entry.fqdn)).toEqual(["h0.contoso.com", "h1.contoso.com"]);
    expect(diff.counts.new).toBe(5);
  });
});

describe("cronProblem", () => {
  it("accepts five-field expressions with ranges, lists, steps and names", () => {
    for (const expression of [
      "0 7 * * 1",
      "* * * * *",
      "*/15 8-18 * * MON-FRI",
      "0 0 1,15 jan,jul 0",
      "5 4 * * 7",
    ])
      expect(cronProblem(expression)).toBeNull();
  });

  it("names the field that is wrong", () => {
    expect(cronProblem("0 7 * *")).toMatch(/5 fields/);
    expect(cronProblem("60 7 * * 1")).toMatch(/^minute/);
    expect(cronProblem("0 24 * * 1")).toMatch(/^hour/);
    expect(cronProblem("0 7 0 * 1")).toMatch(/^day of month/);
    expect(cronProblem("0 7 * 13 1")).toMatch(/^month/);
    expect(cronProblem("0 7 * * FUNDAY")).toMatch(/^day of week/);
    expect(cronProblem("0 9-7 * * 1")).toMatch(/backwards/);
    expect(cronProblem("*/0 * * * *")).toMatch(/step/);
  });
});
