import type { TaskDetail } from "@certfleet/contracts";
import { DiffList } from "@/components/ui/diff-list";
import { actorLabel } from "@/lib/audit-actor";
import { diffFields } from "@/lib/change-diff";
import { formatDateTime } from "@/lib/format";

/** What happened to the task, oldest first (so it reads like a story), with what each step changed. */
export function TaskHistory({ history }: { history: TaskDetail["history"] }) {
  const entries = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <section className="card" aria-labelledby="history-heading" data-testid="task-history">
      <h3 id="history-heading">History</h3>
      {entries.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <ol className="history">
          {entries.map((entry, index) => {
            const changes = diffFields(entry.before, entry.after);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: history is append-only; two entries can share a time
              <li key={`${entry.at}:${index}`} className="history-entry" data-action={entry.action}>
                <p>
                  <time dateTime={entry.at} className="muted small">
                    {formatDateTime(entry.at)}
                  </time>{" "}
                  <strong>{actorLabel(entry)}</strong> <code>{entry.action}</code>
                </p>
                <DiffList changes={changes} />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
