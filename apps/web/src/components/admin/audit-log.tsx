"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, LoadMore, QueryStates } from "@/components/ui/query-state";
import { auditQuery } from "@/lib/admin-api";
import {
  type AuditFilters,
  auditApiSearch,
  auditFilterSearch,
  parseAuditUrl,
  toAuditParams,
} from "@/lib/audit-query";
import { AuditFilterForm } from "./audit-filters";
import { AuditRow } from "./audit-row";

/** `/admin/audit`: who did what, newest first; the filter is the URL, and the CSV export uses it too. */
export function AuditLog() {
  const router = useRouter();
  const search = useSearchParams()?.toString() ?? "";
  const filters = useMemo(() => parseAuditUrl(new URLSearchParams(search)), [search]);
  const params = useMemo(() => toAuditParams(filters), [filters]);
  const query = useInfiniteQuery(auditQuery(params));
  const apiSearch = auditApiSearch(params);

  const apply = (next: AuditFilters) => {
    const query = auditFilterSearch(next);
    router.push(query ? `/admin/audit?${query}` : "/admin/audit", { scroll: false });
  };

  return (
    <div className="stack">
      <PageHeader
        title="Audit log"
        actions={
          <a
            className="button button-secondary"
            href={`/api/v1/audit.csv${apiSearch ? `?${apiSearch}` : ""}`}
            download
          >
            Export CSV
          </a>
        }
      >
        Sign-ins, task changes, users and tokens: every change, who made it and from where.
      </PageHeader>
      {/* Keyed by the URL, so the back button resets what the inputs show. */}
      <AuditFilterForm key={search} filters={filters} onApply={apply} />
      <QueryStates query={query} what="the audit log" lines={8}>
        {(data) =>
          data.pages[0]?.items.length === 0 ? (
            <EmptyState title="No entries match">Widen the dates or clear a filter.</EmptyState>
          ) : (
            <section className="card table-card" aria-label="Audit entries">
              <div className="table-scroll">
                <table className="data-table audit-table">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Actor</th>
                      <th scope="col">Action</th>
                      <th scope="col">Entity</th>
                      <th scope="col">IP</th>
                      <th scope="col">
                        <span className="visually-hidden">Details</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.pages.flatMap((page) =>
                      page.items.map((entry) => <AuditRow key={entry.id} entry={entry} />),
                    )}
                  </tbody>
                </table>
              </div>
              <LoadMore query={query} />
            </section>
          )
        }
      </QueryStates>
    </div>
  );
}
