/**
 * The renewal task's life cycle. A task exists because a host needs a new channel certificate; people
 * move it along (assign, start, submit, verify), and the collector's next report can close or reopen it
 * (see decide.ts). The transitions are data so the API, the UI and the tests read the same table.
 */
// The vocabularies are the API's contract; core gives them their meaning.
import {
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskAction,
  type TaskPriority,
  type TaskStatus,
} from "@certfleet/contracts";
import { roleAtLeast, type UserRole } from "./roles";

export { TASK_PRIORITIES, TASK_STATUSES, type TaskAction, type TaskPriority, type TaskStatus };

/** Statuses with work still to do: everything but done and cancelled. A host has at most one such task. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter(
  (s) => s !== "done" && s !== "cancelled",
);

export function isOpenTaskStatus(s: TaskStatus): boolean {
  return OPEN_TASK_STATUSES.includes(s);
}

export interface TaskTransition {
  action: TaskAction;
  from: readonly TaskStatus[];
  to: TaskStatus;
  /**
   * "assignee": the task's assignee (operator or above) or any lead; the task must have an assignee.
   * "lead": leads and admins only.
   */
  by: "assignee" | "lead";
  label: string;
}

/** One row per action. Reassigning (assign from assigned or in_progress) is allowed: people go on leave. */
export const TASK_TRANSITIONS: readonly TaskTransition[] = [
  {
    action: "assign",
    from: ["open", "reopened", "assigned", "in_progress"],
    to: "assigned",
    by: "lead",
    label: "Assign",
  },
  // A reopened task keeps its assignee, who can pick it up again directly; without one it must be assigned first.
  { action: "start", from: ["assigned", "reopened"], to: "in_progress", by: "assignee", label: "Start work" },
  // The import is done on the host; the collector's next report (event 20053, new certificate bound) confirms it.
  {
    action: "submit",
    from: ["in_progress"],
    to: "awaiting_verification",
    by: "assignee",
    label: "Imported, awaiting confirmation",
  },
  {
    action: "resume",
    from: ["awaiting_verification"],
    to: "in_progress",
    by: "assignee",
    label: "Resume work",
  },
  // For hosts whose collector cannot confirm (silent host, rolled-over event log): a lead checks by hand.
  { action: "verify", from: ["awaiting_verification"], to: "done", by: "lead", label: "Verify manually" },
  {
    action: "cancel",
    from: ["open", "assigned", "in_progress", "awaiting_verification", "reopened"],
    to: "cancelled",
    by: "lead",
    label: "Cancel",
  },
  { action: "reopen", from: ["done", "cancelled"], to: "reopened", by: "lead", label: "Reopen" },
];

export interface TaskActor {
  userId: number;
  role: UserRole;
}

export interface TaskState {
  status: TaskStatus;
  assigneeId: number | null;
}

export type TransitionCheck =
  | { ok: true; to: TaskStatus }
  | { ok: false; reason: "invalid" | "forbidden"; message: string };

/** Words for messages: "A task that is <status> cannot be <done>; <imperative> first." */
const STATUS_WORDS: Record<TaskStatus, string> = {
  open: "open",
  assigned: "assigned",
  in_progress: "in progress",
  awaiting_verification: "awaiting verification",
  done: "done",
  reopened: "reopened",
  cancelled: "cancelled",
};

const ACTION_WORDS: Record<TaskAction, { done: string; imperative: string }> = {
  assign: { done: "assigned", imperative: "assign it" },
  start: { done: "started", imperative: "start it" },
  submit: { done: "submitted for verification", imperative: "submit it for verification" },
  resume: { done: "resumed", imperative: "resume it" },
  verify: { done: "verified", imperative: "verify it" },
  cancel: { done: "cancelled", imperative: "cancel it" },
  reopen: { done: "reopened", imperative: "reopen it" },
};

const WHO: Record<TaskTransition["by"], string> = {
  assignee: "its assignee (an operator or above) or by a lead or admin",
  lead: "a lead or admin",
};

/** "a, b or c": the choices open from a status. */
function anyOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function transitionFor(action: TaskAction): TaskTransition | undefined {
  return TASK_TRANSITIONS.find((t) => t.action === action);
}

function transitionsFrom(status: TaskStatus): TaskTransition[] {
  return TASK_TRANSITIONS.filter((t) => t.from.includes(status));
}

/**
 * What to do instead, derived from the table so it never disagrees with it: nothing to do when the task
 * is already there, another action reaching the same status, an action that makes this one possible,
 * else the list of what is possible from here.
 */
function hint(status: TaskStatus, wanted: TaskTransition): string {
  if (wanted.to === status) return `it is already ${STATUS_WORDS[status]}`;
  const possible = transitionsFrom(status);
  const instead = possible.find((t) => t.to === wanted.to);
  if (instead) return `${ACTION_WORDS[instead.action].imperative} instead`;
  const first = possible.find((t) => wanted.from.includes(t.to));
  if (first) return `${ACTION_WORDS[first.action].imperative} first`;
  const words = possible.map((t) => ACTION_WORDS[t.action].done);
  return `from ${STATUS_WORDS[status]} it can only be ${anyOf(words)}`;
}

function invalid(message: string): TransitionCheck {
  return { ok: false, reason: "invalid", message };
}

function mayAct(by: TaskTransition["by"], task: TaskState, actor: TaskActor): boolean {
  if (roleAtLeast(actor.role, "lead")) return true;
  return by === "assignee" && roleAtLeast(actor.role, "operator") && actor.userId === task.assigneeId;
}

/**
 * Whether `actor` may apply `action` to `task` now. "invalid" (the action is not possible from this
 * status, whoever asks) is checked before "forbidden" (possible, but not for this actor), so a user is
 * never told to find a lead for something a lead could not do either.
 */
export function checkTransition(task: TaskState, action: TaskAction, actor: TaskActor): TransitionCheck {
  const status = STATUS_WORDS[task.status];
  const transition = transitionFor(action);
  if (!transition) return invalid(`"${String(action)}" is not a task action.`);
  const done = ACTION_WORDS[action].done;
  if (!transition.from.includes(task.status)) {
    return invalid(`A task that is ${status} cannot be ${done}; ${hint(task.status, transition)}.`);
  }
  // Work "by the assignee" needs one: even a lead cannot start a reopened task nobody is assigned to.
  if (transition.by === "assignee" && task.assigneeId === null) {
    const assignFirst = transitionsFrom(task.status).some((t) => t.action === "assign")
      ? "; assign it first"
      : "";
    return invalid(`A task that is ${status} and has no assignee cannot be ${done}${assignFirst}.`);
  }
  if (!mayAct(transition.by, task, actor)) {
    const viewer = actor.role === "viewer" ? " Viewers have read-only access." : "";
    return {
      ok: false,
      reason: "forbidden",
      message: `A task that is ${status} can be ${done} only by ${WHO[transition.by]}.${viewer}`,
    };
  }
  return { ok: true, to: transition.to };
}

/** The actions `actor` may take on `task` now, in table order (for the UI's buttons). */
export function availableActions(task: TaskState, actor: TaskActor): TaskAction[] {
  return TASK_TRANSITIONS.filter((t) => checkTransition(task, t.action, actor).ok).map((t) => t.action);
}
