import type { ComplianceReport, ComplianceRow } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import PDFDocument from "pdfkit";
import {
  barChart,
  CONTENT_WIDTH,
  type Column,
  EXPIRY_COLOURS,
  ensureRoom,
  footer,
  PAGE,
  STATUS_COLOURS,
  tableLine,
} from "./pdf-layout";
import { COMPLIANCE_BATCH } from "./stored-rows";

type Doc = InstanceType<typeof PDFDocument>;

const STATUS_LABELS: Record<string, string> = {
  error: "Error",
  warning: "Warning",
  ok: "OK",
  none: "Never reported",
};
const EXPIRY_LABELS: Record<string, string> = {
  expired: "Expired",
  d7: "0–7 days",
  d30: "8–30 days",
  d60: "31–60 days",
  d90: "61–90 days",
  later: "> 90 days",
  none: "No certificate",
};
const EXCEPTION_COLUMNS: readonly Column[] = [
  { label: "FQDN", width: 150 },
  { label: "Role", width: 70 },
  { label: "Status", width: 45 },
  { label: "Serial", width: 80 },
  { label: "Expiry", width: 60 },
  { label: "Failing rules", width: CONTENT_WIDTH - 405 },
];

/**
 * The report as an A4 PDF: a summary page (totals per status, role and management group, bar
 * charts of status and expiry), then every exception (error or warning) grouped by management
 * group. Returned as a stream that is filled while the rows are read, batch by batch.
 */
export function compliancePdf(
  db: Database,
  report: ComplianceReport,
  onError: (error: unknown) => void,
): Doc {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
    info: {
      Title: report.title,
      Subject: `certfleet compliance report ${report.id}`,
      Keywords: report.contentSha256,
    },
  });
  let pages = 1;
  footer(doc, pages, report.contentSha256);
  doc.on("pageAdded", () => {
    pages += 1;
    footer(doc, pages, report.contentSha256);
  });
  void (async () => {
    try {
      summaryPage(doc, report);
      await exceptions(doc, db, report.id);
      doc.end();
    } catch (error) {
      onError(error);
      doc.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return doc;
}

function summaryPage(doc: Doc, report: ComplianceReport): void {
  doc.font("Helvetica-Bold").fontSize(18).text(report.title);
  doc.moveDown(0.3);
  doc.font("Helvetica").fontSize(10);
  doc.text(`Taken at: ${report.takenAt}`);
  doc.text(`Filter: ${describeFilter(report.filter)}`);
  doc.text(`Hosts: ${report.hostCount}`);
  doc.text(
    `Taken by: ${report.createdBy ?? (report.schedule ? `schedule ${report.schedule.name ?? report.schedule.id}` : "certfleet")}`,
  );
  doc
    .font("Helvetica-Bold")
    .text("Content SHA-256:", { continued: true })
    .font("Courier")
    .fontSize(8)
    .text(` ${report.contentSha256}`);
  doc.moveDown();

  const { byStatus, byRole, byManagementGroup, byExpiry } = report.totals;
  const columns: Column[] = [
    { label: "", width: 200 },
    { label: "Hosts", width: 60 },
  ];
  const totalsTable = (title: string, entries: [string, number][]) => {
    ensureRoom(doc, 30 + entries.length * 12);
    doc.font("Helvetica-Bold").fontSize(11).text(title, PAGE.margin);
    doc.moveDown(0.2);
    tableLine(doc, columns, [title.replace("Hosts by ", ""), "Hosts"], true);
    for (const [label, count] of entries) {
      ensureRoom(doc, 12);
      tableLine(doc, columns, [label, String(count)]);
    }
    doc.moveDown(0.5);
  };
  totalsTable(
    "Hosts by status",
    Object.keys(STATUS_LABELS).map((key) => [`${STATUS_LABELS[key]} (${key})`, byStatus[key] ?? 0]),
  );
  totalsTable("Hosts by role", Object.entries(byRole));
  totalsTable(
    "Hosts by management group",
    Object.entries(byManagementGroup)
      .sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b)))
      .map(([group, count]) => [group === "" ? "(no management group)" : group, count]),
  );
  barChart(
    doc,
    "Status",
    Object.keys(STATUS_LABELS).map((key) => ({
      label: STATUS_LABELS[key] as string,
      value: byStatus[key] ?? 0,
      colour: STATUS_COLOURS[key] as string,
    })),
  );
  barChart(
    doc,
    "Certificate expiry",
    Object.keys(EXPIRY_LABELS).map((key) => ({
      label: EXPIRY_LABELS[key] as string,
      value: byExpiry[key] ?? 0,
      colour: EXPIRY_COLOURS[key] as string,
    })),
  );
}

async function exceptions(doc: Doc, db: Database, reportId: number): Promise<void> {
  doc.addPage();
  doc.font("Helvetica-Bold").fontSize(16).text("Exceptions");
  doc.font("Helvetica").fontSize(9).text("Every host whose status is error or warning, by management group.");
  doc.moveDown(0.5);
  let group: string | undefined;
  let any = false;
  const groupHeading = (continued: boolean) => {
    doc
      .font("Helvetica-Bold")
      .fontSize(11)
      .text(`Management group: ${group || "(none)"}${continued ? " (continued)" : ""}`, PAGE.margin);
    doc.moveDown(0.2);
    tableLine(
      doc,
      EXCEPTION_COLUMNS,
      EXCEPTION_COLUMNS.map((column) => column.label),
      true,
    );
  };
  for await (const rows of exceptionRows(db, reportId)) {
    for (const row of rows) {
      any = true;
      const rowGroup = row.managementGroup ?? "";
      if (rowGroup !== group) {
        group = rowGroup;
        ensureRoom(doc, 60);
        doc.moveDown(0.4);
        groupHeading(false);
      }
      ensureRoom(doc, 24, () => groupHeading(true));
      tableLine(doc, EXCEPTION_COLUMNS, [
        row.fqdn,
        row.role,
        row.status ?? "",
        row.certificate?.serialNumber ?? "—",
        row.certificate ? row.certificate.notAfter.slice(0, 10) : "none",
        row.findings
          .filter((finding) => finding.severity !== "info")
          .map((finding) => `${finding.ruleId} (${finding.severity})`)
          .join(", "),
      ]);
    }
  }
  if (!any)
    doc.font("Helvetica").fontSize(10).text("None: every host in the report is ok or has not reported.");
}

/** Exception rows ordered by management group (none last), then fqdn, in batches. */
async function* exceptionRows(db: Database, reportId: number): AsyncGenerator<ComplianceRow[]> {
  const keys = await db.$queryRaw<{ fqdn: string }[]>`
    SELECT fqdn FROM "ComplianceReportRow"
    WHERE "reportId" = ${reportId} AND data->>'status' IN ('error', 'warning')
    ORDER BY data->>'managementGroup' COLLATE "C" NULLS LAST, fqdn COLLATE "C"`;
  for (let start = 0; start < keys.length; start += COMPLIANCE_BATCH) {
    const chunk = keys.slice(start, start + COMPLIANCE_BATCH).map((key) => key.fqdn);
    const rows = await db.$queryRaw<{ fqdn: string; data: ComplianceRow }[]>`
      SELECT fqdn, data FROM "ComplianceReportRow" WHERE "reportId" = ${reportId} AND fqdn = ANY(${chunk})`;
    const byFqdn = new Map(rows.map((row) => [row.fqdn, row.data]));
    yield chunk.flatMap((fqdn) => byFqdn.get(fqdn) ?? []);
  }
}

function describeFilter(filter: ComplianceReport["filter"]): string {
  const parts = Object.entries(filter).filter(([, value]) => value !== undefined);
  return parts.length === 0
    ? "whole estate"
    : parts.map(([key, value]) => `${key}=${String(value)}`).join(", ");
}
