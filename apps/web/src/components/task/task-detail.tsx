"use client";

import type { Task, TaskDetail } from "@certfleet/contracts";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { AssigneeName, DueDate, PriorityTag, TaskStatusBadge } from "@/components/tasks/task-bits";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, isNotFound, QueryError, SkeletonCard } from "@/components/ui/query-state";
import { SeverityBadge } from "@/components/ui/status-badge";
import { formatDate, formatDateTime, ROLE_LABEL, sentence } from "@/lib/format";
import { taskKeys } from "@/lib/query-keys";
import { roleAtLeast } from "@/lib/roles";
import { useSession } from "@/lib/session";
import { taskDetailQuery } from "@/lib/task-api";
import { TASK_STATUS_LABEL } from "@/lib/task-labels";
import { TaskActions } from "./task-actions";
import { TaskChecklist } from "./task-checklist";
import { TaskEditForm } from "./task-edit-form";
import { TaskHistory } from "./task-history";

/** `/tasks/[id]`: one host's renewal: why, what to do (checklist), who does it, and what happened. */
export function TaskDetailView({ id }: { id: number }) {
  const query = useQuery(taskDetailQuery(id));
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  // The task as the API said it was when our change lost a race (409); shown until dismissed.
  const [conflict, setConflict] = useState<Task | null>(null);

  const onConflict = (current: Task) => {
    setConflict(current);
    void queryClient.invalidateQueries({ queryKey: taskKeys.all });
  };

  const back = (
    <Link href="/tasks" className="back-link">
      ← All tasks
    </Link>
  );

  if (query.isPending)
    return (
      <div className="stack" aria-busy="true">
        <PageHeader title={`Task ${id}`} eyebrow={back} />
        <SkeletonCard label="Loading task" lines={5} />
      </div>
    );
  if (query.isError)
    return (
      <div className="stack">
        <PageHeader title={`Task ${id}`} eyebrow={back} />
        {isNotFound(query.error) ? (
          <EmptyState title="No such task">There is no renewal task {id}.</EmptyState>
        ) : (
          <QueryError
            error={query.error}
            what="this task"
            onRetry={() => void query.refetch()}
            retrying={query.isFetching}
          />
        )}
      </div>
    );

  const task = query.data;
  return (
    <div className="stack" data-testid="task-detail" data-task-id={task.id}>
      <PageHeader
        eyebrow={back}
        title={
          <span className="title-with-badge">
            <Link href={`/hosts/${encodeURIComponent(task.host.fqdn)}`} className="break-anywhere">
              {task.host.fqdn}
            </Link>
            <TaskStatusBadge status={task.status} size="lg" />
          </span>
        }
      >
        Renewal task {task.id} · {ROLE_LABEL[task.host.role]}
        {task.host.managementGroup ? ` in ${task.host.managementGroup}` : ""}
      </PageHeader>
      {conflict ? <ConflictNotice current={conflict} onDismiss={() => setConflict(null)} /> : null}
      <TaskFacts task={task} />
      <TaskActions task={task} onConflict={onConflict} />
      <div className="grid-detail">
        <TaskChecklist task={task} canDownload={roleAtLeast(session?.user.role, "operator")} />
        <div className="stack">
          {task.canEdit ? <TaskEditForm task={task} onConflict={onConflict} /> : null}
          <TaskHistory history={task.history} />
        </div>
      </div>
    </div>
  );
}

function TaskFacts({ task }: { task: TaskDetail }) {
  return (
    <dl className="facts card facts-card">
      <div className="fact">
        <dt>Priority</dt>
        <dd>
          <PriorityTag priority={task.priority} />
        </dd>
      </div>
      <div className="fact">
        <dt>Due</dt>
        <dd>
          <DueDate task={task} />
        </dd>
      </div>
      <div className="fact">
        <dt>Assignee</dt>
        <dd>
          <AssigneeName assignee={task.assignee} />
        </dd>
      </div>
      <div className="fact fact-wide">
        <dt>Reason</dt>
        <dd className="task-reason-fact">
          <SeverityBadge severity={task.reason.severity} />
          <span>{sentence(task.reason.message)}</span>
          <Link href={`/rules#${task.reason.ruleId}`} className="small">
            Rule <code>{task.reason.ruleId}</code>
          </Link>
        </dd>
      </div>
      <div className="fact">
        <dt>Certificate to replace</dt>
        <dd className="fact-stack">
          {task.certificate ? (
            <>
              <span>
                Serial <code className="break-anywhere">{task.certificate.serialNumber}</code>
              </span>
              <span className="small">Expires {formatDate(task.certificate.notAfter)}</span>
              <Link href={`/certificates/${task.certificate.sha256}`} className="small">
                View certificate
              </Link>
            </>
          ) : (
            <span className="muted">None bound</span>
          )}
        </dd>
      </div>
      {task.note ? (
        <div className="fact fact-wide">
          <dt>Note</dt>
          <dd className="task-note">{task.note}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function ConflictNotice({ current, onDismiss }: { current: Task; onDismiss: () => void }) {
  return (
    <div className="notice conflict-notice" role="alert" data-testid="task-conflict">
      <p>
        <strong>Someone else changed this task first.</strong> It is now{" "}
        <strong>{TASK_STATUS_LABEL[current.status]}</strong>, assigned to{" "}
        <AssigneeName assignee={current.assignee} />
        {`, updated ${formatDateTime(current.updatedAt)}`}. The page shows the current task: check it and try
        again if your change still makes sense.
      </p>
      <button type="button" className="button button-secondary button-small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
