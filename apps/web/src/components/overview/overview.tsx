"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryError, SkeletonCard } from "@/components/ui/query-state";
import { summaryQuery } from "@/lib/estate";
import { formatCount, formatDateTime, labelFor, REPORTING_LABEL, ROLE_LABEL } from "@/lib/format";
import { hostsHref } from "@/lib/host-query";
import { Breakdown } from "./breakdown";
import { CoveragePanel } from "./coverage";
import { ExpiryBuckets } from "./expiry-buckets";
import { ExpiryTimeline } from "./expiry-timeline";
import { FailingRules } from "./failing-rules";
import { KerberosHosts } from "./kerberos-hosts";
import { StatusTiles } from "./status-tiles";

/** `/`: the estate at a glance. Every number links to the host list that reproduces it. */
export function Overview() {
  const { data, error, isPending, isError, refetch, isFetching } = useQuery(summaryQuery());

  const header = (
    <PageHeader
      title="Overview"
      actions={
        data ? (
          <p className="muted small">
            {formatCount(data.total.count)} hosts · updated {formatDateTime(data.generatedAt)}
          </p>
        ) : null
      }
    >
      Channel certificates of every Management Server, Gateway and Agent: expiry, and whether SCOM will accept
      them.
    </PageHeader>
  );

  if (isPending)
    return (
      <div className="stack" aria-busy="true">
        {header}
        <div className="tiles">
          {["OK", "Warning", "Error", "Not reporting"].map((label) => (
            <SkeletonCard key={label} label={`Loading ${label}`} lines={2} />
          ))}
        </div>
        <div className="grid-2">
          <SkeletonCard label="Loading expiry" height="220px" />
          <SkeletonCard label="Loading expiry timeline" height="220px" />
        </div>
      </div>
    );
  if (isError)
    return (
      <div className="stack">
        {header}
        <QueryError error={error} what="the estate summary" onRetry={() => refetch()} retrying={isFetching} />
      </div>
    );

  if (data.total.count === 0)
    return (
      <div className="stack">
        {header}
        <EmptyState
          title="No hosts yet"
          action={
            <Link className="button" href="/rules">
              See what certfleet checks
            </Link>
          }
        >
          Hosts appear here when a collector posts its first report to <code>POST /api/v1/reports</code>, or
          when an inventory lists them.
        </EmptyState>
      </div>
    );

  return (
    <div className="stack">
      {header}
      <StatusTiles summary={data} />
      <div className="grid-2">
        <ExpiryBuckets expiry={data.expiry} />
        <ExpiryTimeline />
      </div>
      <div className="grid-3">
        <Breakdown
          id="by-role"
          title="By role"
          rows={data.byRole.map((row) => ({
            key: row.key ?? "",
            label: labelFor(ROLE_LABEL, row.key),
            count: row.count,
            href: hostsHref(row.query),
          }))}
          total={data.total.count}
        />
        <Breakdown
          id="by-group"
          title="By management group"
          rows={data.byManagementGroup.map((row) => ({
            key: row.key ?? "",
            label: row.key ?? "No management group",
            count: row.count,
            href: hostsHref(row.query),
          }))}
          total={data.total.count}
          empty="No management groups reported yet."
        />
        <Breakdown
          id="reporting"
          title="Reporting"
          note={`Silent: no report for ${data.silentAfterHours} h.`}
          rows={data.reporting.map((row) => ({
            key: row.key ?? "",
            label: labelFor(REPORTING_LABEL, row.key),
            count: row.count,
            href: hostsHref(row.query),
            tone: row.key === "reporting" ? "ok" : row.key === "silent" ? "warning" : "neutral",
          }))}
          total={data.total.count}
        />
      </div>
      <CoveragePanel coverage={data.coverage} silentAfterHours={data.silentAfterHours} />
      <FailingRules rules={data.topFailingRules} total={data.total.count} />
      <KerberosHosts count={data.usesKerberos} />
    </div>
  );
}
