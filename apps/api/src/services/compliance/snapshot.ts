import type { ComplianceHeader, ComplianceRow, HostFilter, ReportingState } from "@certfleet/contracts";
import {
  addToComplianceTotals,
  daysUntil,
  emptyComplianceTotals,
  expiryBucket,
  sortComplianceFindings,
} from "@certfleet/core";
import { type Database, Prisma } from "@certfleet/db";
import { type AuditActor, recordAudit } from "../audit";
import { type EstateClock, hostFilterSql, reportingState } from "../estate/filters";
import { COMPLIANCE_BATCH, hashStoredReport } from "./stored-rows";

/** A 200,000-host report reads and writes for a while; the default 5 s would abort it. */
const SNAPSHOT_TIMEOUT_MS = 15 * 60_000;

export interface SnapshotRequest {
  title: string;
  filter: HostFilter;
  clock: EstateClock;
  /** Null when a schedule takes the report. */
  actor: AuditActor | null;
  scheduleId?: number | null;
}

export interface TakenSnapshot {
  id: number;
  header: ComplianceHeader;
  contentSha256: string;
}

interface HostSnapshotRow {
  id: number;
  fqdn: string;
  role: ComplianceRow["role"];
  managementGroup: string | null;
  status: ComplianceRow["status"];
  lastReportAt: Date | null;
  boundCertificateSha256: string | null;
  boundNotAfter: Date | null;
  serialNumber: string | null;
  findings: ComplianceRow["findings"] | null;
  taskStatus: NonNullable<ComplianceRow["task"]>["status"] | null;
  taskAssignee: string | null;
  taskDueAt: Date | null;
}

/**
 * Takes a compliance report: every host matching `filter` as it stands now, frozen into rows.
 *
 * One REPEATABLE READ transaction, so every batch sees the same moment and the report exists
 * only complete. Pass 1 reads hosts by id in batches, writes their rows and counts the totals;
 * pass 2 hashes the rows as stored (the same code /verify runs), so the hash proves the stored
 * content, not an in-memory copy of it.
 */
export async function takeComplianceSnapshot(db: Database, request: SnapshotRequest): Promise<TakenSnapshot> {
  return db.$transaction(
    async (tx) => {
      // The pool's statement_timeout (CERTFLEET_DB_STATEMENT_TIMEOUT_MS) is for requests; a snapshot
      // of the whole estate may legitimately run longer, for this transaction only.
      await tx.$executeRaw`SELECT set_config('statement_timeout', ${String(SNAPSHOT_TIMEOUT_MS)}, true)`;
      const report = await tx.complianceReport.create({
        data: {
          title: request.title,
          takenAt: request.clock.now,
          filter: request.filter,
          totals: {},
          hostCount: 0,
          contentSha256: "",
          createdById: request.actor && request.actor.id > 0 ? request.actor.id : null,
          scheduleId: request.scheduleId ?? null,
        },
      });
      const totals = emptyComplianceTotals();
      let hostCount = 0;
      for await (const rows of hostRows(tx, request.filter, request.clock)) {
        await tx.complianceReportRow.createMany({
          data: rows.map((row) => ({ reportId: report.id, fqdn: row.fqdn, data: row })),
        });
        for (const row of rows) addToComplianceTotals(totals, row);
        hostCount += rows.length;
      }
      const header: ComplianceHeader = {
        title: request.title,
        takenAt: request.clock.now.toISOString(),
        filter: request.filter,
        hostCount,
        totals,
      };
      const { sha256 } = await hashStoredReport(tx, report.id, header);
      await tx.complianceReport.update({
        where: { id: report.id },
        data: { totals, hostCount, contentSha256: sha256 },
      });
      await recordAudit(tx, request.actor, {
        action: "report.create",
        entityType: "compliance_report",
        entityId: report.id,
        after: {
          title: request.title,
          hostCount,
          contentSha256: sha256,
          filter: request.filter,
          scheduleId: request.scheduleId ?? null,
        },
      });
      return { id: report.id, header, contentSha256: sha256 };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: SNAPSHOT_TIMEOUT_MS },
  );
}

type Reader = Pick<Database, "$queryRaw">;

/** The hosts matching the filter with what a row records, by id (keyset, never OFFSET). */
async function* hostRows(
  db: Reader,
  filter: HostFilter,
  clock: EstateClock,
): AsyncGenerator<ComplianceRow[]> {
  const where = hostFilterSql(filter, clock);
  let afterId = 0;
  for (;;) {
    const hosts = await db.$queryRaw<HostSnapshotRow[]>`
      SELECT h.id, h.fqdn, h.role::text AS role, mg.name AS "managementGroup", h.status::text AS status,
             h."lastReportAt", h."boundCertificateSha256", h."boundNotAfter", c."serialNumber",
             fs.findings, t.status::text AS "taskStatus", u.email AS "taskAssignee", t."dueAt" AS "taskDueAt"
      FROM "Host" h
      LEFT JOIN "ManagementGroup" mg ON mg.id = h."managementGroupId"
      LEFT JOIN "Certificate" c ON c.sha256 = h."boundCertificateSha256"
      LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object('ruleId', f."ruleId", 'severity', f.severity, 'message', f.message)) AS findings
        FROM "HostFinding" f WHERE f."hostId" = h.id
      ) fs ON TRUE
      LEFT JOIN LATERAL (
        SELECT rt.status, rt."assigneeId", rt."dueAt" FROM "RenewalTask" rt
        WHERE rt."hostId" = h.id AND rt.status NOT IN ('done', 'cancelled')
        ORDER BY rt.id DESC LIMIT 1
      ) t ON TRUE
      LEFT JOIN "User" u ON u.id = t."assigneeId"
      WHERE ${where} AND h.id > ${afterId}
      ORDER BY h.id
      LIMIT ${COMPLIANCE_BATCH}`;
    if (hosts.length > 0) yield hosts.map((host) => toRow(host, clock));
    const last = hosts.at(-1);
    if (!last || hosts.length < COMPLIANCE_BATCH) return;
    afterId = last.id;
  }
}

function toRow(host: HostSnapshotRow, clock: EstateClock): ComplianceRow {
  const reporting: ReportingState = reportingState(host.lastReportAt, clock);
  return {
    fqdn: host.fqdn,
    role: host.role,
    managementGroup: host.managementGroup,
    status: host.status,
    reporting,
    lastReportAt: host.lastReportAt?.toISOString() ?? null,
    certificate:
      host.boundCertificateSha256 && host.boundNotAfter
        ? {
            serialNumber: host.serialNumber ?? "",
            sha256: host.boundCertificateSha256,
            notAfter: host.boundNotAfter.toISOString(),
            daysLeft: daysUntil(host.boundNotAfter, clock.now),
          }
        : null,
    expiry: host.boundNotAfter ? expiryBucket(host.boundNotAfter, clock.now) : "none",
    findings: sortComplianceFindings(host.findings ?? []),
    task:
      host.taskStatus && host.taskDueAt
        ? { status: host.taskStatus, assignee: host.taskAssignee, dueAt: host.taskDueAt.toISOString() }
        : null,
  };
}
