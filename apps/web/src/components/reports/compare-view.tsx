"use client";

import type { ComplianceDiffEntry, ComplianceHostState } from "@certfleet/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryStates } from "@/components/ui/query-state";
import { complianceDiffQuery } from "@/lib/compliance-api";
import { formatDateTime, STATUS_LABEL } from "@/lib/format";

const CATEGORIES = [
  { key: "better", title: "Better" },
  { key: "worse", title: "Worse" },
  { key: "new", title: "New" },
  { key: "gone", title: "Gone" },
] as const;

const positiveId = (value: string | null) => (value && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null);

/** `/reports/compare?from=&to=`: which hosts got better or worse, appeared or disappeared. */
export function CompareView() {
  const params = useSearchParams();
  const from = positiveId(params.get("from"));
  const to = positiveId(params.get("to"));
  if (from === null || to === null) {
    return (
      <EmptyState title="Pick two reports" action={<Link href="/reports">Back to reports</Link>}>
        Choose a “From report” and a “To report” on the reports page.
      </EmptyState>
    );
  }
  return <Comparison from={from} to={to} />;
}

function Comparison({ from, to }: { from: number; to: number }) {
  const query = useQuery(complianceDiffQuery(from, to));
  return (
    <QueryStates query={query} what="the comparison" lines={8}>
      {(diff) => (
        <div className="stack">
          <PageHeader title="Compare reports" eyebrow={<Link href="/reports">Reports</Link>}>
            From <strong>{diff.from.title}</strong> ({formatDateTime(diff.from.takenAt)}) to{" "}
            <strong>{diff.to.title}</strong> ({formatDateTime(diff.to.takenAt)}).{" "}
            <span data-testid="diff-unchanged">{diff.unchanged.toLocaleString("en")} hosts unchanged.</span>
          </PageHeader>
          <div className="tiles compare-tiles">
            {CATEGORIES.map(({ key, title }) => (
              <a
                key={key}
                className="tile compare-tile"
                href={`#diff-${key}`}
                data-testid={`diff-count-${key}`}
              >
                <span className="tile-label">{title}</span>
                <span className="tile-count">{diff.counts[key].toLocaleString("en")}</span>
              </a>
            ))}
          </div>
          {CATEGORIES.map(({ key, title }) => (
            <section
              key={key}
              id={`diff-${key}`}
              className="card table-card"
              aria-labelledby={`diff-${key}-heading`}
            >
              <h3 id={`diff-${key}-heading`} className="subheading">
                {title} ({diff.counts[key].toLocaleString("en")})
              </h3>
              {diff[key].length === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <DiffTable entries={diff[key]} testId={`diff-${key}`} />
              )}
              {diff.counts[key] > diff[key].length ? (
                <p className="muted small">
                  Showing the first {diff[key].length.toLocaleString("en")}; download both reports as CSV for
                  all.
                </p>
              ) : null}
            </section>
          ))}
        </div>
      )}
    </QueryStates>
  );
}

function DiffTable({ entries, testId }: { entries: ComplianceDiffEntry[]; testId: string }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.fqdn}>
              <th scope="row">
                <Link href={`/hosts/${entry.fqdn}`}>{entry.fqdn}</Link>
              </th>
              <td>{describeState(entry.from)}</td>
              <td>{describeState(entry.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function describeState(state: ComplianceHostState | null): string {
  if (!state) return "—";
  const status = state.status ? STATUS_LABEL[state.status] : "Never reported";
  return `${status} · ${state.errors} error${state.errors === 1 ? "" : "s"}, ${state.warnings} warning${state.warnings === 1 ? "" : "s"}`;
}
