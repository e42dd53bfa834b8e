import Link from "next/link";
import { formatCount, type Tone } from "@/lib/format";

export interface BreakdownRow {
  key: string;
  label: string;
  count: number;
  href: string;
  tone?: Tone;
}

/** A titled list of counts with proportional bars; each count links to its host list. */
export function Breakdown({
  id,
  title,
  rows,
  total,
  note,
  empty,
}: {
  id: string;
  title: string;
  rows: BreakdownRow[];
  total: number;
  note?: string;
  empty?: string;
}) {
  const headingId = `${id}-heading`;
  return (
    <section className="card" aria-labelledby={headingId} data-testid={`breakdown-${id}`}>
      <div className="card-header">
        <h3 id={headingId}>{title}</h3>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{empty ?? "Nothing to show."}</p>
      ) : (
        <ul className="meter-list">
          {rows.map((row) => (
            <li key={row.key} className="meter-row">
              <span className="meter-label" title={row.label}>
                {row.label}
              </span>
              <Link
                href={row.href}
                className="meter-count"
                data-key={row.key}
                aria-label={`${row.label}: ${formatCount(row.count)} hosts`}
              >
                {formatCount(row.count)}
              </Link>
              <span className="meter-track" aria-hidden="true">
                <span
                  className={`meter-fill tone-${row.tone ?? "accent"}`}
                  style={{
                    width: `${total > 0 ? Math.max(row.count > 0 ? 1.5 : 0, (row.count / total) * 100) : 0}%`,
                  }}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      {note ? <p className="muted small">{note}</p> : null}
    </section>
  );
}
