import type {
  ComplianceDiff,
  ComplianceReport,
  ComplianceReportListQuery,
  ComplianceReportPage,
  ComplianceRow,
  ComplianceVerification,
} from "@certfleet/contracts";
import { type ComparedRow, complianceHostState, diffComplianceRows, type StateByFqdn } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../../problem";
import { complianceHeader, hashStoredReport } from "./stored-rows";

/** Hosts listed per category of a comparison; the counts are always complete. */
export const DIFF_LIST_LIMIT = 2_000;

type ReportRecord = NonNullable<Awaited<ReturnType<Database["complianceReport"]["findUnique"]>>>;

export async function findComplianceReport(db: Database, id: number): Promise<ReportRecord> {
  const report = await db.complianceReport.findUnique({ where: { id } });
  if (!report) throw new ProblemError(404, "Report not found", `No compliance report ${id} exists.`);
  return report;
}

/** Newest first; the cursor is the last id seen (ids only grow, so pages stay stable). */
export async function listComplianceReports(
  db: Database,
  query: ComplianceReportListQuery,
): Promise<ComplianceReportPage> {
  const limit = query.limit ?? 50;
  const rows = await db.complianceReport.findMany({
    where: query.cursor ? { id: { lt: Number(query.cursor) } } : {},
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = await toComplianceReports(db, rows.slice(0, limit));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? String(last.id) : null };
}

export async function complianceReportView(db: Database, id: number): Promise<ComplianceReport> {
  const [view] = await toComplianceReports(db, [await findComplianceReport(db, id)]);
  return view as ComplianceReport;
}

/** Joins who took each report and which schedule ran it (neither is a Prisma relation). */
export async function toComplianceReports(db: Database, rows: ReportRecord[]): Promise<ComplianceReport[]> {
  const userIds = [...new Set(rows.flatMap((row) => (row.createdById ? [row.createdById] : [])))];
  const scheduleIds = [...new Set(rows.flatMap((row) => (row.scheduleId ? [row.scheduleId] : [])))];
  const [users, schedules] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }),
    db.reportSchedule.findMany({ where: { id: { in: scheduleIds } }, select: { id: true, name: true } }),
  ]);
  const emails = new Map(users.map((user) => [user.id, user.email]));
  const names = new Map(schedules.map((schedule) => [schedule.id, schedule.name]));
  return rows.map((row) => {
    const base = `/api/v1/compliance-reports/${row.id}`;
    return {
      id: row.id,
      ...complianceHeader(row),
      contentSha256: row.contentSha256,
      createdBy: row.createdById ? (emails.get(row.createdById) ?? null) : null,
      // A deleted schedule keeps its id on the report, without a name.
      schedule: row.scheduleId ? { id: row.scheduleId, name: names.get(row.scheduleId) ?? null } : null,
      createdAt: row.createdAt.toISOString(),
      downloads: { pdf: `${base}.pdf`, csv: `${base}.csv`, json: `${base}.json` },
    };
  });
}

/**
 * Recomputes the hash from the rows as stored now and compares it with the two recorded when the
 * report was taken: the report row's own (which anyone who can write that table could rewrite
 * together with the rows) and the one in the report's first `report.create` audit entry, which the
 * app's database role can neither update nor delete (docs/deployment.md).
 */
export async function verifyComplianceReport(db: Database, id: number): Promise<ComplianceVerification> {
  const report = await findComplianceReport(db, id);
  const auditedSha256 = await auditedReportHash(db, id);
  const recorded = { storedSha256: report.contentSha256, auditedSha256 };
  try {
    const computed = await hashStoredReport(db, id, complianceHeader(report));
    return {
      ...recorded,
      computedSha256: computed.sha256,
      intact:
        computed.sha256 === report.contentSha256 &&
        computed.sha256 === auditedSha256 &&
        computed.rowCount === report.hostCount,
      rowCount: computed.rowCount,
    };
  } catch (error) {
    // A row whose fqdn was edited no longer sorts where its key does: altered by definition.
    if (!(error instanceof RangeError)) throw error;
    return { ...recorded, computedSha256: "", intact: false, rowCount: -1 };
  }
}

/** The hash in the earliest audit entry of the report's creation: a later one may be forged, never an earlier. */
async function auditedReportHash(db: Database, id: number): Promise<string | null> {
  const entry = await db.auditEvent.findFirst({
    where: { action: "report.create", entityType: "compliance_report", entityId: String(id) },
    orderBy: { id: "asc" },
    select: { after: true },
  });
  const after = entry?.after;
  if (!after || typeof after !== "object" || Array.isArray(after)) return null;
  const hash = (after as { contentSha256?: unknown }).contentSha256;
  return typeof hash === "string" ? hash : null;
}

/** Host-by-host comparison of two reports (see diffComplianceRows for what better means). */
export async function diffComplianceReports(
  db: Database,
  fromId: number,
  toId: number,
): Promise<ComplianceDiff> {
  const [from, to] = await Promise.all([findComplianceReport(db, fromId), findComplianceReport(db, toId)]);
  // Only what the comparison needs, straight out of the JSON: small even for 200k hosts.
  const [before, after] = await Promise.all([hostStates(db, fromId), hostStates(db, toId)]);
  const diff = diffComplianceRows(before, after, DIFF_LIST_LIMIT);
  const ref = (report: ReportRecord) => ({
    id: report.id,
    title: report.title,
    takenAt: report.takenAt.toISOString(),
  });
  return {
    from: ref(from),
    to: ref(to),
    counts: diff.counts,
    better: diff.better,
    worse: diff.worse,
    new: diff.new,
    gone: diff.gone,
    unchanged: diff.unchanged,
    listLimit: DIFF_LIST_LIMIT,
  };
}

async function hostStates(db: Database, reportId: number): Promise<StateByFqdn[]> {
  const rows = await db.$queryRaw<
    {
      fqdn: string;
      status: ComplianceRow["status"];
      expiry: ComplianceRow["expiry"];
      findings: ComparedRow["findings"];
    }[]
  >`
    SELECT fqdn, data->>'status' AS status, data->>'expiry' AS expiry,
           COALESCE((SELECT jsonb_agg(jsonb_build_object('severity', f->'severity'))
                     FROM jsonb_array_elements(data->'findings') f
                     WHERE f->>'severity' IN ('error', 'warning')), '[]'::jsonb) AS findings
    FROM "ComplianceReportRow" WHERE "reportId" = ${reportId}`;
  return rows.map((row) => ({
    fqdn: row.fqdn,
    state: complianceHostState(row),
  }));
}
