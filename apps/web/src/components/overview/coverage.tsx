import type { Coverage } from "@certfleet/contracts";
import Link from "next/link";
import { type CoverageCell, coverageGroups, coverageTotals, reportingShare } from "@/lib/coverage";
import { formatCount } from "@/lib/format";

/**
 * Inventory coverage: of the hosts an inventory lists, how many report. Every number links to the
 * host list that reproduces it; retired hosts (a newer import no longer lists them) are counted apart.
 */
export function CoveragePanel({
  coverage,
  silentAfterHours,
}: {
  coverage: Coverage;
  silentAfterHours: number;
}) {
  const totals = coverageTotals(coverage);
  const groups = coverageGroups(coverage);
  const share = reportingShare(coverage);
  return (
    <section className="card" aria-labelledby="coverage-heading" data-testid="coverage">
      <div className="card-header">
        <h3 id="coverage-heading">Inventory coverage</h3>
        {share === null ? null : <span className="muted small">{share}% of expected hosts report</span>}
      </div>
      {coverage.expected.count === 0 && coverage.retired.count === 0 ? (
        <p className="muted">
          No inventory imported yet. Import SCOM exports under Admin › Inventory to see which listed hosts
          never report.
        </p>
      ) : (
        <>
          <ul className="coverage-totals">
            {totals.map((number) => (
              <li key={number.key} data-key={number.key}>
                <span className="muted small">{number.label}</span> <CoverageNumber cell={number} />
              </li>
            ))}
          </ul>
          {groups.length > 0 ? (
            <table className="data-table">
              <caption className="muted small">Expected hosts by management group</caption>
              <thead>
                <tr>
                  <th scope="col">Management group</th>
                  {groups[0]?.cells.map((number) => (
                    <th scope="col" key={number.key}>
                      {number.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {groups.map((group) => (
                  <tr key={group.key} data-group={group.key}>
                    <th scope="row">{group.label}</th>
                    {group.cells.map((number) => (
                      <td key={number.key}>
                        <CoverageNumber cell={number} context={group.label} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
      <p className="muted small">
        Expected: listed by an inventory import. Silent: no report for {silentAfterHours} h. Retired: a newer
        import of its group no longer lists it.
      </p>
    </section>
  );
}

function CoverageNumber({ cell, context }: { cell: CoverageCell; context?: string }) {
  const text = formatCount(cell.count);
  if (!cell.href) return <strong data-count={cell.count}>{text}</strong>;
  return (
    <Link
      href={cell.href}
      className="meter-count"
      data-count={cell.count}
      aria-label={`${context ? `${context}, ` : ""}${cell.label}: ${text} hosts`}
    >
      {text}
    </Link>
  );
}
