"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { AssigneeName, DueDate, TaskStatusBadge } from "@/components/tasks/task-bits";
import { QueryError, Skeleton } from "@/components/ui/query-state";
import { sentence } from "@/lib/format";
import { hostTaskQuery } from "@/lib/task-api";

/** The host's renewal task (the active one, else the latest closed one), one click from the task. */
export function RenewalTask({ fqdn }: { fqdn: string }) {
  const query = useQuery(hostTaskQuery(fqdn));
  return (
    <section className="card renewal-panel" aria-labelledby="renewal-heading" data-testid="renewal-task">
      <h3 id="renewal-heading">Renewal task</h3>
      {query.isPending ? (
        <Skeleton width="60%" />
      ) : query.isError ? (
        <QueryError
          error={query.error}
          what="the renewal task"
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : query.data === null ? (
        <p className="muted">No renewal task</p>
      ) : (
        <div className="renewal-summary" data-task-id={query.data.id}>
          <TaskStatusBadge status={query.data.status} />
          <span>
            <span className="muted">Assignee: </span>
            <AssigneeName assignee={query.data.assignee} />
          </span>
          <DueDate task={query.data} />
          <span className="renewal-reason">{sentence(query.data.reason.message)}</span>
          <Link href={`/tasks/${query.data.id}`} className="button button-secondary button-small">
            Open task
          </Link>
        </div>
      )}
    </section>
  );
}
