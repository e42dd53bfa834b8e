"use client";

import type { HostListItem } from "@certfleet/contracts";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { StatusBadge, StatusIcon } from "@/components/ui/status-badge";
import {
  daysLeftTone,
  formatDate,
  formatDateTime,
  formatDaysLeft,
  formatRelative,
  ROLE_LABEL,
  sentence,
} from "@/lib/format";
import type { HostSort } from "@/lib/host-query";

const column = createColumnHelper<HostListItem>();

/** Column id → the API's sort key, for the columns the API can sort by. */
export const SORTABLE: Partial<Record<string, HostSort>> = {
  status: "status",
  fqdn: "fqdn",
  expiry: "expiry",
  lastReport: "lastReport",
};

export const hostHref = (fqdn: string) => `/hosts/${encodeURIComponent(fqdn)}`;

/** Columns of the host table. `now` is one clock for the whole table ("3 h ago"). */
export function hostColumns(now: number) {
  return [
    column.accessor("status", {
      id: "status",
      header: "Status",
      cell: (info) => <StatusBadge status={info.getValue()} />,
    }),
    column.accessor("fqdn", {
      id: "fqdn",
      header: "Host",
      cell: (info) => (
        <Link href={hostHref(info.getValue())} className="host-link" data-testid="host-link">
          {info.getValue()}
        </Link>
      ),
    }),
    column.accessor("role", {
      id: "role",
      header: "Role",
      cell: (info) => ROLE_LABEL[info.getValue()],
    }),
    column.accessor("managementGroup", {
      id: "managementGroup",
      header: "Management group",
      cell: (info) => info.getValue() ?? <span className="muted">—</span>,
    }),
    column.accessor("boundCertificate", {
      id: "expiry",
      header: "Expiry",
      cell: (info) => {
        const bound = info.getValue();
        // A Kerberos host needs none (issue 13): say so rather than look like a missing one.
        if (!bound)
          return (
            <span className="muted">
              {info.row.original.usesKerberos ? "None: uses Kerberos" : "No certificate"}
            </span>
          );
        return (
          <span className="expiry-cell">
            <span>{formatDate(bound.notAfter)}</span>
            <span className={`days-left tone-text-${daysLeftTone(bound.daysLeft)}`}>
              {formatDaysLeft(bound.daysLeft)}
            </span>
          </span>
        );
      },
    }),
    column.accessor("worstFinding", {
      id: "worstFinding",
      header: "Worst finding",
      cell: (info) => {
        const worst = info.getValue();
        if (!worst) return <span className="muted">None</span>;
        const counts = info.row.original.findingCounts;
        const others = counts.error + counts.warning + counts.info - 1;
        return (
          <span className={`finding-cell tone-text-${worst.severity === "info" ? "info" : worst.severity}`}>
            <StatusIcon tone={worst.severity} />
            <span className="finding-text">
              <span className="finding-message" title={worst.message}>
                {sentence(worst.message)}
              </span>
              <span className="muted small">
                <code>{worst.ruleId}</code>
                {others > 0 ? ` +${others} more` : ""}
              </span>
            </span>
          </span>
        );
      },
    }),
    column.accessor("lastReportAt", {
      id: "lastReport",
      header: "Last report",
      cell: (info) => {
        const { reporting } = info.row.original;
        const at = info.getValue();
        return (
          <span className="report-cell">
            <time dateTime={at ?? undefined} title={formatDateTime(at)}>
              {formatRelative(at, now)}
            </time>
            {reporting === "silent" ? <span className="tag tag-warning">Silent</span> : null}
            {reporting === "never" ? <span className="tag">Never</span> : null}
          </span>
        );
      },
    }),
  ];
}
