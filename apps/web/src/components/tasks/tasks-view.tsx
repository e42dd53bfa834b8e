"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { startTransition, useCallback, useMemo, useOptimistic, useState } from "react";
import { PageHeader } from "@/components/ui/page-header";
import type { TaskListParams } from "@/lib/query-keys";
import { roleAtLeast } from "@/lib/roles";
import { useSession } from "@/lib/session";
import {
  parseTasksUrl,
  type TasksUrlState,
  type TaskView,
  tasksHref,
  toTaskListParams,
} from "@/lib/task-query";
import { BulkAssignBar } from "./bulk-assign-bar";
import { TaskBoard } from "./task-board";
import { TaskFilters } from "./task-filters";
import { TaskList } from "./task-list";

export type SetTasksState = (next: TasksUrlState) => void;

/** Leads pick tasks (board cards or list rows) and assign them in one go. */
export interface Selection {
  ids: ReadonlySet<number>;
  toggle: (id: number) => void;
  replace: (ids: ReadonlySet<number>) => void;
}

/** What the board and the list views both take. */
export interface TaskViewProps {
  state: TasksUrlState;
  params: TaskListParams;
  setState: SetTasksState;
  /** Present for leads, who can select tasks for bulk assignment. */
  selection: Selection | undefined;
}

/** `/tasks`: renewal work as a board by status or a list; view and filters are the URL. */
export function TasksView() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const search = searchParams?.toString() ?? "";
  const urlState = useMemo(() => parseTasksUrl(new URLSearchParams(search)), [search]);
  // Controls show the new choice at once; the URL (and with it the data) follows when the
  // navigation commits. Without this a checkbox would flick back until the router caught up.
  const [state, setOptimisticState] = useOptimistic(urlState);
  const params = useMemo(() => toTaskListParams(state), [state]);
  const { data: session } = useSession();
  const role = session?.user.role;
  const isLead = roleAtLeast(role, "lead");

  const setState = useCallback<SetTasksState>(
    (next) => {
      const href = tasksHref(next);
      if (href === `${pathname}?${search}`) return;
      startTransition(() => {
        setOptimisticState(next);
        router.push(href, { scroll: false });
      });
    },
    [router, pathname, search, setOptimisticState],
  );

  // A selection belongs to the filter it was made under: another filter shows other tasks, and
  // tasks the user can no longer see must not be assigned by accident.
  const paramsKey = JSON.stringify(params);
  const [picked, setPicked] = useState<{ key: string; ids: ReadonlySet<number> }>({
    key: paramsKey,
    ids: new Set(),
  });
  const selected = picked.key === paramsKey ? picked.ids : new Set<number>();
  const selection: Selection | undefined = isLead
    ? {
        ids: selected,
        toggle: (id) => {
          const next = new Set(selected);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          setPicked({ key: paramsKey, ids: next });
        },
        replace: (ids) => setPicked({ key: paramsKey, ids }),
      }
    : undefined;

  return (
    <div className="stack">
      <PageHeader
        title="Tasks"
        actions={<ViewToggle view={state.view} onChange={(view) => setState({ ...state, view })} />}
      >
        Renewal work for hosts whose channel certificate needs replacing. The address bar holds the view.
      </PageHeader>
      <TaskFilters state={state} setState={setState} role={role} />
      {selection ? <BulkAssignBar selection={selection} /> : null}
      {state.view === "board" ? (
        <TaskBoard state={state} params={params} setState={setState} selection={selection} />
      ) : (
        <TaskList state={state} params={params} setState={setState} selection={selection} />
      )}
    </div>
  );
}

function ViewToggle({ view, onChange }: { view: TaskView; onChange: (view: TaskView) => void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a labelled group of toggle buttons, not a form fieldset
    <div className="segmented" role="group" aria-label="View">
      {(["board", "list"] as const).map((value) => (
        <button
          key={value}
          type="button"
          className="chip"
          aria-pressed={view === value}
          onClick={() => onChange(value)}
        >
          {value === "board" ? "Board" : "List"}
        </button>
      ))}
    </div>
  );
}
