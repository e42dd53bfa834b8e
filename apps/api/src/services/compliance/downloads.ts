import { PassThrough, type Readable } from "node:stream";
import type { ComplianceHeader, ComplianceRow } from "@certfleet/contracts";
import { complianceContentParts, complianceRowJson } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { stringify } from "csv-stringify";
import { storedComplianceRows } from "./stored-rows";

type OnError = (error: unknown) => void;

/** Writes chunks with backpressure, then ends; on failure the stream is destroyed (a cut download). */
function pump<T>(
  target: PassThrough | ReturnType<typeof stringify>,
  source: () => AsyncGenerator<T>,
  onError: OnError,
): void {
  void (async () => {
    try {
      for await (const chunk of source()) {
        if (!target.write(chunk)) await new Promise((resolve) => target.once("drain", resolve));
      }
      target.end();
    } catch (error) {
      onError(error);
      target.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
}

/**
 * The canonical content exactly as hashed: `sha256sum` of this body equals contentSha256 (when
 * the rows are intact). Streamed row by row in canonical order.
 */
export function complianceJsonStream(
  db: Database,
  reportId: number,
  header: ComplianceHeader,
  onError: OnError,
): Readable {
  const out = new PassThrough();
  const parts = complianceContentParts(header);
  pump(
    out,
    async function* () {
      yield parts.opening;
      let first = true;
      for await (const rows of storedComplianceRows(db, reportId)) {
        const text = rows.map(complianceRowJson).join(parts.separator);
        if (text) yield first ? text : parts.separator + text;
        if (rows.length) first = false;
      }
      yield parts.closing;
    },
    onError,
  );
  return out;
}

export const COMPLIANCE_CSV_COLUMNS = [
  "fqdn",
  "role",
  "managementGroup",
  "status",
  "reporting",
  "lastReportAt",
  "serialNumber",
  "certificateSha256",
  "notAfter",
  "daysLeft",
  "expiry",
  "errors",
  "warnings",
  "findings",
  "taskStatus",
  "taskAssignee",
  "taskDueAt",
] as const;

function csvRecord(row: ComplianceRow): Record<(typeof COMPLIANCE_CSV_COLUMNS)[number], string | number> {
  return {
    fqdn: row.fqdn,
    role: row.role,
    managementGroup: row.managementGroup ?? "",
    status: row.status ?? "",
    reporting: row.reporting,
    lastReportAt: row.lastReportAt ?? "",
    serialNumber: row.certificate?.serialNumber ?? "",
    certificateSha256: row.certificate?.sha256 ?? "",
    notAfter: row.certificate?.notAfter ?? "",
    daysLeft: row.certificate?.daysLeft ?? "",
    expiry: row.expiry,
    errors: row.findings.filter((finding) => finding.severity === "error").length,
    warnings: row.findings.filter((finding) => finding.severity === "warning").length,
    findings: row.findings.map((finding) => `${finding.severity}:${finding.ruleId}`).join("; "),
    taskStatus: row.task?.status ?? "",
    taskAssignee: row.task?.assignee ?? "",
    taskDueAt: row.task?.dueAt ?? "",
  };
}

/** One line per host in fqdn order, streamed; formulas escaped so a cell never runs in Excel. */
export function complianceCsvStream(db: Database, reportId: number, onError: OnError): Readable {
  const csv = stringify({ header: true, columns: [...COMPLIANCE_CSV_COLUMNS], escape_formulas: true });
  pump(
    csv,
    async function* () {
      for await (const rows of storedComplianceRows(db, reportId))
        for (const row of rows) yield csvRecord(row);
    },
    onError,
  );
  return csv;
}
