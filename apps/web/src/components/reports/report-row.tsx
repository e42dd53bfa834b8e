"use client";

import type { ComplianceReport } from "@certfleet/contracts";
import { useMutation } from "@tanstack/react-query";
import { CopyButton } from "@/components/ui/copy-button";
import { verifyComplianceReport } from "@/lib/compliance-api";
import { shortHash } from "@/lib/compliance-cron";
import { formatDateTime } from "@/lib/format";

/** One report: what it covers, its hash, the downloads, and a check that it is still intact. */
export function ReportRow({ report }: { report: ComplianceReport }) {
  const verify = useMutation({ mutationFn: () => verifyComplianceReport(report.id) });
  const takenBy =
    report.createdBy ??
    (report.schedule ? `Schedule: ${report.schedule.name ?? `#${report.schedule.id}`}` : "certfleet");

  return (
    <tr data-report-id={report.id}>
      <th scope="row">{report.title}</th>
      <td className="nowrap">
        <time dateTime={report.takenAt}>{formatDateTime(report.takenAt)}</time>
      </td>
      <td>{report.hostCount.toLocaleString("en")}</td>
      <td className="nowrap">
        <code title={report.contentSha256}>{shortHash(report.contentSha256)}…</code>{" "}
        <CopyButton text={report.contentSha256} label="Copy hash" />
      </td>
      <td>{takenBy}</td>
      <td className="nowrap">
        <span className="report-downloads">
          <a href={report.downloads.pdf} download aria-label={`PDF of ${report.title}`}>
            PDF
          </a>
          <a href={report.downloads.csv} download aria-label={`CSV of ${report.title}`}>
            CSV
          </a>
          <a href={report.downloads.json} download aria-label={`JSON of ${report.title}`}>
            JSON
          </a>
        </span>
      </td>
      <td className="nowrap">
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
        >
          {verify.isPending ? "Verifying…" : "Verify"}
        </button>{" "}
        <span role="status" data-testid="verify-result" className={verifyTone(verify.data?.intact)}>
          {verify.isError
            ? "Could not verify"
            : verify.data
              ? verify.data.intact
                ? "Intact"
                : "Altered"
              : ""}
        </span>
      </td>
    </tr>
  );
}

function verifyTone(intact: boolean | undefined): string {
  if (intact === undefined) return "small";
  return intact ? "small tone-text-ok" : "small tone-text-error";
}
