"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, LoadMore, QueryStates } from "@/components/ui/query-state";
import { complianceReportsQuery } from "@/lib/compliance-api";
import { roleAtLeast } from "@/lib/roles";
import { useSession } from "@/lib/session";
import { CompareForm } from "./compare-form";
import { NewReportForm } from "./new-report-form";
import { ReportRow } from "./report-row";
import { SchedulesSection } from "./schedules-section";

/** `/reports`: frozen, hashed compliance reports; leads take and schedule them, everyone downloads. */
export function ReportsView() {
  const { data: session } = useSession();
  const isLead = roleAtLeast(session?.user.role, "lead");
  const query = useInfiniteQuery(complianceReportsQuery());
  const reports = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="stack">
      <PageHeader title="Compliance reports">
        Each report freezes every host's channel certificate at one moment. Its SHA-256 proves later that
        nothing was altered; compare two to see what improved.
      </PageHeader>
      {isLead ? <NewReportForm /> : null}
      <QueryStates query={query} what="the compliance reports" lines={6}>
        {() =>
          reports.length === 0 ? (
            <EmptyState title="No reports yet">
              {isLead ? "Take one above, or schedule one below." : "A lead or admin takes reports."}
            </EmptyState>
          ) : (
            <>
              {reports.length > 1 ? <CompareForm reports={reports} /> : null}
              <section className="card table-card" aria-label="Compliance reports">
                <div className="table-scroll">
                  <table className="data-table">
                    <thead>
                      <tr>
                        <th scope="col">Title</th>
                        <th scope="col">Taken at</th>
                        <th scope="col">Hosts</th>
                        <th scope="col">SHA-256</th>
                        <th scope="col">Taken by</th>
                        <th scope="col">Downloads</th>
                        <th scope="col">Integrity</th>
                      </tr>
                    </thead>
                    <tbody>
                      {reports.map((report) => (
                        <ReportRow key={report.id} report={report} />
                      ))}
                    </tbody>
                  </table>
                </div>
                <LoadMore query={query} />
              </section>
            </>
          )
        }
      </QueryStates>
      {isLead ? <SchedulesSection /> : null}
    </div>
  );
}
