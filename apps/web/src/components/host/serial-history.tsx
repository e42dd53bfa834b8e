import type { HostDetail } from "@certfleet/contracts";
import Link from "next/link";
import { formatDate } from "@/lib/format";
import { certificateHref } from "./bound-certificate";

type Entry = HostDetail["serialHistory"][number];

const time = (iso: string) => Date.parse(iso);

/**
 * Which serial the channel used when: one bar per serial from first to last report that named it,
 * on a shared time axis, so renewals (and renewals that were never re-imported) are visible.
 */
export function SerialHistory({ history }: { history: Entry[] }) {
  const entries = [...history].sort((a, b) => time(a.firstSeenAt) - time(b.firstSeenAt));
  const start = Math.min(...entries.map((entry) => time(entry.firstSeenAt)));
  const end = Math.max(...entries.map((entry) => time(entry.lastSeenAt)));
  // A single report is a point in time; give the axis some width so the bar is visible.
  const span = Math.max(end - start, 86_400_000);
  const position = (iso: string) => ((time(iso) - start) / span) * 100;

  return (
    <section className="card" aria-labelledby="history-heading" data-testid="serial-history">
      <div className="card-header">
        <h3 id="history-heading">Serial history</h3>
        {entries.length > 0 ? (
          <span className="muted small">
            {formatDate(new Date(start).toISOString())} – {formatDate(new Date(end).toISOString())}
          </span>
        ) : null}
      </div>
      {entries.length === 0 ? (
        <p className="muted">No reports yet.</p>
      ) : (
        <ol className="timeline">
          {entries.map((entry, index) => {
            const left = position(entry.firstSeenAt);
            const width = Math.max(1.5, position(entry.lastSeenAt) - left);
            const current = index === entries.length - 1;
            return (
              <li
                key={`${entry.certificateSha256 ?? entry.registrySerial ?? "none"}:${entry.firstSeenAt}`}
                className="timeline-row"
                data-current={current}
              >
                <div className="timeline-label">
                  {entry.serialNumber ? (
                    <code className="break-anywhere">{entry.serialNumber}</code>
                  ) : entry.registrySerial ? (
                    <span>
                      registry <code className="break-anywhere">{entry.registrySerial}</code>{" "}
                      <span className="tone-text-error small">no matching certificate</span>
                    </span>
                  ) : (
                    <span className="tone-text-error">no serial in the registry</span>
                  )}
                  {current ? <span className="tag tag-accent">current</span> : null}
                </div>
                <div className="timeline-track" aria-hidden="true">
                  <span
                    className={`timeline-bar${entry.serialNumber ? "" : " timeline-bar-broken"}${current ? " timeline-bar-current" : ""}`}
                    style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                  />
                </div>
                <p className="timeline-meta muted small">
                  {formatDate(entry.firstSeenAt)} – {formatDate(entry.lastSeenAt)}
                  {entry.notAfter ? ` · certificate expires ${formatDate(entry.notAfter)}` : ""}
                  {entry.certificateSha256 ? (
                    <>
                      {" · "}
                      <Link href={certificateHref(entry.certificateSha256)}>certificate</Link>
                    </>
                  ) : null}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
