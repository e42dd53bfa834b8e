"use client";

import type { AuditEntry } from "@certfleet/contracts";
import { useId, useState } from "react";
import { DiffList } from "@/components/ui/diff-list";
import { actorLabel } from "@/lib/audit-actor";
import { diffFields } from "@/lib/change-diff";
import { formatDateTime } from "@/lib/format";

/** One audit entry; expands to the full before/after snapshots and what changed between them. */
export function AuditRow({ entry }: { entry: AuditEntry }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const changes = diffFields(entry.before, entry.after);
  return (
    <>
      <tr data-audit-id={entry.id} data-action={entry.action}>
        <td className="nowrap">
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        </td>
        <td className="break-anywhere">
          {entry.actor ?? <span className="muted">{actorLabel(entry)}</span>}
        </td>
        <td>
          <code>{entry.action}</code>
        </td>
        <td>
          {entry.entityType}
          {entry.entityId ? <span className="muted"> #{entry.entityId}</span> : null}
        </td>
        <td>{entry.ip ?? <span className="muted">—</span>}</td>
        <td>
          <button
            type="button"
            className="button button-ghost button-small"
            aria-expanded={open}
            aria-controls={open ? `${id}-detail` : undefined}
            onClick={() => setOpen((value) => !value)}
          >
            {open ? "Hide details" : "Details"}
            <span className="visually-hidden">
              {" "}
              of {entry.action} at {formatDateTime(entry.at)}
            </span>
          </button>
        </td>
      </tr>
      {open ? (
        <tr id={`${id}-detail`} className="row-detail">
          <td colSpan={6}>
            <DiffList changes={changes} />
            <div className="json-pair">
              <div>
                <h4 className="subheading">Before</h4>
                <pre className="json">{JSON.stringify(entry.before ?? null, null, 2)}</pre>
              </div>
              <div>
                <h4 className="subheading">After</h4>
                <pre className="json">{JSON.stringify(entry.after ?? null, null, 2)}</pre>
              </div>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
