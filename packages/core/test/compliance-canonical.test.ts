import { createHash } from "node:crypto";
import type { ComplianceHeader, ComplianceRow } from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import {
  addToComplianceTotals,
  ComplianceHasher,
  canonicalJson,
  compareCodePoints,
  complianceContentHash,
  complianceContentParts,
  complianceRowJson,
  emptyComplianceTotals,
  sortComplianceFindings,
} from "../src/index";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

function row(fqdn: string, overrides: Partial<ComplianceRow> = {}): ComplianceRow {
  return {
    fqdn,
    role: "Agent",
    managementGroup: "MG-PROD",
    status: "ok",
    reporting: "reporting",
    lastReportAt: "2026-06-01T10:00:00.000Z",
    certificate: {
      serialNumber: "0A1B",
      sha256: "ab".repeat(32),
      notAfter: "2027-01-01T00:00:00.000Z",
      daysLeft: 200,
    },
    expiry: "later",
    findings: [],
    task: null,
    ...overrides,
  };
}

const header = (rows: ComplianceRow[]): ComplianceHeader => {
  const totals = emptyComplianceTotals();
  for (const item of rows) addToComplianceTotals(totals, item);
  return {
    title: "Q2 audit",
    takenAt: "2026-06-01T12:00:00.000Z",
    filter: {},
    hostCount: rows.length,
    totals,
  };
};

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, 2], c: null } })).toBe('{"a":{"c":null,"d":[3,1,2]},"b":1}');
    expect(canonicalJson([{ z: 1, y: 2 }, "x"])).toBe('[{"y":2,"z":1},"x"]');
  });

  it("gives the same text for the same value however it was built", () => {
    const one = { title: "t", nested: { x: 1, y: [true, false] } };
    const two = { nested: { y: [true, false], x: 1 }, title: "t" };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it("writes strings and numbers as JSON.stringify does, unicode unescaped", () => {
    expect(canonicalJson('Zürich — 東京 "q" \n')).toBe('"Zürich — 東京 \\"q\\" \\n"');
    expect(canonicalJson(-0.5)).toBe("-0.5");
    expect(canonicalJson(1e21)).toBe("1e+21");
    expect(canonicalJson(42)).toBe("42");
    expect(canonicalJson({ é: 1, e: 2 })).toBe('{"e":2,"é":1}');
  });

  it("leaves out undefined properties and refuses values JSON cannot hold", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson(Number.NaN)).toThrow(/not a JSON number/);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(/not a JSON number/);
    expect(() => canonicalJson(() => 1)).toThrow(/no JSON form/);
  });

  it("agrees with JSON.parse: the text is valid JSON of the same value", () => {
    const value = { b: [1, { d: "x", c: 2 }], a: "ä" };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe("compareCodePoints", () => {
  it("orders like bytes of UTF-8 (LC_ALL=C sort), not like a locale", () => {
    const names = ["b.example", "a-b.example", "ab.example", "A.example", "a.example"];
    expect([...names].sort(compareCodePoints)).toEqual([
      "A.example",
      "a-b.example",
      "a.example",
      "ab.example",
      "b.example",
    ]);
    expect(compareCodePoints("\u{1F600}", "\uFFFF")).toBeGreaterThan(0);
  });
});

describe("complianceContentHash", () => {
  const rows = [row("web02.contoso.com", { status: "error" }), row("app01.contoso.com")];

  it("hashes exactly canonicalJson({header, rows sorted by fqdn})", () => {
    const sorted = [...rows].sort((a, b) => compareCodePoints(a.fqdn, b.fqdn));
    const expected = sha256(canonicalJson({ header: header(rows), rows: sorted }));
    expect(complianceContentHash(header(rows), rows)).toBe(expected);
  });

  it("is the same computed incrementally row by row as all at once", () => {
    const hasher = new ComplianceHasher(header(rows));
    hasher.add(rows[1] as ComplianceRow);
    hasher.add(rows[0] as ComplianceRow);
    expect(hasher.rowCount).toBe(2);
    expect(hasher.digest()).toBe(complianceContentHash(header(rows), rows));
  });

  it("builds the same text from its parts as canonicalJson does (what the .json download streams)", () => {
    const sorted = [...rows].sort((a, b) => compareCodePoints(a.fqdn, b.fqdn));
    const parts = complianceContentParts(header(rows));
    const text = parts.opening + sorted.map(complianceRowJson).join(parts.separator) + parts.closing;
    expect(text).toBe(canonicalJson({ header: header(rows), rows: sorted }));
    const empty = complianceContentParts(header([]));
    expect(empty.opening + empty.closing).toBe(canonicalJson({ header: header([]), rows: [] }));
  });

  it("changes when any single field of any row changes", () => {
    const base = complianceContentHash(header(rows), rows);
    const altered = [
      rows[0] as ComplianceRow,
      { ...(rows[1] as ComplianceRow), reporting: "silent" as const },
    ];
    expect(complianceContentHash(header(rows), altered)).not.toBe(base);
  });

  it("refuses rows out of fqdn order or repeated", () => {
    const hasher = new ComplianceHasher(header(rows));
    hasher.add(row("b.contoso.com"));
    expect(() => hasher.add(row("a.contoso.com"))).toThrow(/fqdn order/);
    expect(() => hasher.add(row("b.contoso.com"))).toThrow(/fqdn order/);
  });
});

describe("totals and findings", () => {
  it("counts every row once per dimension, with zeros for absent keys", () => {
    const totals = emptyComplianceTotals();
    for (const item of [
      row("a", { status: "error", role: "Gateway", managementGroup: null, expiry: "expired" }),
      row("b", { status: null, expiry: "none", certificate: null }),
      row("c"),
    ])
      addToComplianceTotals(totals, item);
    expect(totals.byStatus).toEqual({ error: 1, warning: 0, ok: 1, none: 1 });
    expect(totals.byRole).toEqual({ ManagementServer: 0, Gateway: 1, Agent: 2 });
    expect(totals.byManagementGroup).toEqual({ "": 1, "MG-PROD": 2 });
    expect(totals.byExpiry).toMatchObject({ expired: 1, none: 1, later: 1, d7: 0 });
  });

  it("orders findings errors first, then by rule id", () => {
    const sorted = sortComplianceFindings([
      { ruleId: "z-rule", severity: "info", message: "i" },
      { ruleId: "b-rule", severity: "warning", message: "w" },
      { ruleId: "c-rule", severity: "error", message: "e2" },
      { ruleId: "a-rule", severity: "error", message: "e1" },
    ]);
    expect(sorted.map((finding) => finding.ruleId)).toEqual(["a-rule", "c-rule", "b-rule", "z-rule"]);
  });
});
