import { createHash, type Hash } from "node:crypto";
import type { ComplianceHeader, ComplianceRow, ComplianceTotals } from "@certfleet/contracts";
import { canonicalJson, compareCodePoints } from "./canonical";

/**
 * The canonical content of a report is `canonicalJson({ header, rows })` with rows in fqdn order
 * (code point order). Because "header" sorts before "rows", that string is exactly
 *   `{"header":` + canonicalJson(header) + `,"rows":[` + row1 + `,` + row2 … + `]}`
 * so it can be written and hashed one row at a time, and it is still one JSON document.
 */
export function complianceContentParts(header: ComplianceHeader): {
  opening: string;
  separator: string;
  closing: string;
} {
  return { opening: `{"header":${canonicalJson(header)},"rows":[`, separator: ",", closing: "]}" };
}

/** The canonical text of one row, as it appears between the separators. */
export const complianceRowJson = (row: ComplianceRow): string => canonicalJson(row);

/**
 * Hashes a report incrementally: add rows in fqdn order (it refuses any other order, which would
 * give a hash nobody can reproduce), then digest. Memory stays flat however many rows there are.
 */
export class ComplianceHasher {
  private readonly hash: Hash;
  private readonly parts: ReturnType<typeof complianceContentParts>;
  private previous: string | null = null;
  private count = 0;

  constructor(header: ComplianceHeader) {
    this.parts = complianceContentParts(header);
    this.hash = createHash("sha256").update(this.parts.opening, "utf8");
  }

  add(row: ComplianceRow): void {
    if (this.previous !== null && compareCodePoints(this.previous, row.fqdn) >= 0) {
      throw new RangeError(`rows must be added in fqdn order: ${row.fqdn} after ${this.previous}`);
    }
    if (this.count > 0) this.hash.update(this.parts.separator, "utf8");
    this.hash.update(complianceRowJson(row), "utf8");
    this.previous = row.fqdn;
    this.count += 1;
  }

  get rowCount(): number {
    return this.count;
  }

  /** Hex SHA-256 of the whole canonical content. */
  digest(): string {
    return this.hash.update(this.parts.closing, "utf8").digest("hex");
  }
}

/** SHA-256 (hex) of the canonical content of a report held in memory (tests, small reports). */
export function complianceContentHash(header: ComplianceHeader, rows: readonly ComplianceRow[]): string {
  const hasher = new ComplianceHasher(header);
  for (const row of [...rows].sort((a, b) => compareCodePoints(a.fqdn, b.fqdn))) hasher.add(row);
  return hasher.digest();
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Findings in their canonical order: severity (error first), then rule id, then message. */
export function sortComplianceFindings(findings: ComplianceRow["findings"]): ComplianceRow["findings"] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compareCodePoints(a.ruleId, b.ruleId) ||
      compareCodePoints(a.message, b.message),
  );
}

/** Totals with every status, role and expiry bucket present (zero when no host has it). */
export function emptyComplianceTotals(): ComplianceTotals {
  return {
    byStatus: { error: 0, warning: 0, ok: 0, none: 0 },
    byRole: { ManagementServer: 0, Gateway: 0, Agent: 0 },
    byManagementGroup: {},
    byExpiry: { expired: 0, d7: 0, d30: 0, d60: 0, d90: 0, later: 0, none: 0 },
  };
}

/** Counts one row into the totals (mutates them: they are built while rows stream past). */
export function addToComplianceTotals(totals: ComplianceTotals, row: ComplianceRow): void {
  const bump = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  bump(totals.byStatus, row.status ?? "none");
  bump(totals.byRole, row.role);
  bump(totals.byManagementGroup, row.managementGroup ?? "");
  bump(totals.byExpiry, row.expiry);
}

/** Rows a report lists as exceptions: the host's status is error or warning. */
export const isComplianceException = (row: Pick<ComplianceRow, "status">): boolean =>
  row.status === "error" || row.status === "warning";
