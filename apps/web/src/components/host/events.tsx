import type { HostDetail } from "@certfleet/contracts";
import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatDateTime } from "@/lib/format";
import { certificateHref } from "./bound-certificate";

const SHOWN = 20;

/** OpsMgr Connector events the collector read, newest first (the findings say what they mean). */
export function EventsPanel({ events }: { events: HostDetail["events"] }) {
  const newest = [...events].sort((a, b) => Date.parse(b.time) - Date.parse(a.time)).slice(0, SHOWN);
  return (
    <section className="card" aria-labelledby="events-heading" data-testid="events">
      <div className="card-header">
        <h3 id="events-heading">OpsMgr Connector events</h3>
        <span className="muted small">
          {events.length > SHOWN ? `newest ${SHOWN} of ${events.length}` : `${events.length}`}
        </span>
      </div>
      {newest.length === 0 ? (
        <p className="muted">
          No connector events in the last report (event logs roll over). The registry and store checks still
          apply.
        </p>
      ) : (
        <ol className="event-list">
          {newest.map((event) => (
            <li key={`${event.id}:${event.time}`} className="event" data-event={event.id}>
              <span className={`event-id${event.id === 20053 ? " event-id-ok" : ""}`}>{event.id}</span>
              <span className="event-body">
                <time dateTime={event.time} className="muted small">
                  {formatDateTime(event.time)}
                </time>
                <span className="event-message">
                  {event.message || <span className="muted">(no message)</span>}
                </span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The latest reports this host sent and what each evaluated to. */
export function ReportsPanel({ reports }: { reports: HostDetail["reports"] }) {
  return (
    <section className="card" aria-labelledby="reports-heading" data-testid="reports">
      <div className="card-header">
        <h3 id="reports-heading">Recent reports</h3>
      </div>
      {reports.length === 0 ? (
        <p className="muted">No reports yet.</p>
      ) : (
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Collected</th>
              <th scope="col">Status</th>
              <th scope="col">Bound certificate</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report) => (
              <tr key={report.id}>
                <td>
                  <time dateTime={report.collectedAt}>{formatDateTime(report.collectedAt)}</time>
                </td>
                <td>
                  <StatusBadge status={report.status} />
                </td>
                <td>
                  {report.boundCertificateSha256 ? (
                    <Link href={certificateHref(report.boundCertificateSha256)}>
                      <code>{report.boundCertificateSha256.slice(0, 12)}…</code>
                    </Link>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
