import type { ComplianceHeader, ComplianceRow, ComplianceTotals, HostFilter } from "@certfleet/contracts";
import { ComplianceHasher } from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";

/** Rows read and written per round trip: bounded memory at 200,000 hosts, few round trips. */
export const COMPLIANCE_BATCH = 2_000;

type Reader = Pick<Database, "$queryRaw">;

export interface StoredReportHeader {
  title: string;
  takenAt: Date;
  filter: Prisma.JsonValue;
  hostCount: number;
  totals: Prisma.JsonValue;
}

/** The hashed header of a stored report, as it was built when the report was taken. */
export function complianceHeader(report: StoredReportHeader): ComplianceHeader {
  return {
    title: report.title,
    takenAt: report.takenAt.toISOString(),
    filter: report.filter as HostFilter,
    hostCount: report.hostCount,
    totals: report.totals as ComplianceTotals,
  };
}

/**
 * A report's rows in canonical order (fqdn by code point, i.e. COLLATE "C"), in batches. The
 * fqdns are read once in that order (a few MB at 200k hosts); the row data then comes in chunks,
 * so no query re-sorts the whole report per batch and the whole report is never in memory.
 */
export async function* storedComplianceRows(
  db: Reader,
  reportId: number,
  batch = COMPLIANCE_BATCH,
): AsyncGenerator<ComplianceRow[]> {
  const keys = await db.$queryRaw<{ fqdn: string }[]>`
    SELECT fqdn FROM "ComplianceReportRow" WHERE "reportId" = ${reportId} ORDER BY fqdn COLLATE "C"`;
  for (let start = 0; start < keys.length; start += batch) {
    const chunk = keys.slice(start, start + batch).map((key) => key.fqdn);
    const rows = await db.$queryRaw<{ fqdn: string; data: ComplianceRow }[]>`
      SELECT fqdn, data FROM "ComplianceReportRow" WHERE "reportId" = ${reportId} AND fqdn = ANY(${chunk})`;
    const byFqdn = new Map(rows.map((row) => [row.fqdn, row.data]));
    yield chunk.flatMap((fqdn) => {
      const data = byFqdn.get(fqdn);
      return data ? [data] : [];
    });
  }
}

/** Recomputes the content hash from what is stored now. */
export async function hashStoredReport(
  db: Reader,
  reportId: number,
  header: ComplianceHeader,
): Promise<{ sha256: string; rowCount: number }> {
  const hasher = new ComplianceHasher(header);
  for await (const rows of storedComplianceRows(db, reportId)) for (const row of rows) hasher.add(row);
  return { sha256: hasher.digest(), rowCount: hasher.rowCount };
}
