import type { TaskAction, TaskPriority, TaskStatus } from "@certfleet/contracts";
import { list } from "./host-query";

/** Runtime copies of the contract's task vocabularies (the bundle imports contract types only). */
export const TASK_STATUSES = list<TaskStatus>()([
  "open",
  "reopened",
  "assigned",
  "in_progress",
  "awaiting_verification",
  "done",
  "cancelled",
]);

/** Most pressing first, which is how people scan them. */
export const TASK_PRIORITIES = list<TaskPriority>()(["urgent", "high", "normal", "low"]);

export const TASK_STATUS_LABEL: Record<TaskStatus, string> = {
  open: "Open",
  reopened: "Reopened",
  assigned: "Assigned",
  in_progress: "In progress",
  awaiting_verification: "Awaiting verification",
  done: "Done",
  cancelled: "Cancelled",
};

export const TASK_PRIORITY_LABEL: Record<TaskPriority, string> = {
  urgent: "Urgent",
  high: "High",
  normal: "Normal",
  low: "Low",
};

/** Button texts: the same words as the workflow table in @certfleet/core (e2e tests click them). */
export const TASK_ACTION_LABEL: Record<TaskAction, string> = {
  assign: "Assign",
  start: "Start work",
  submit: "Imported, awaiting confirmation",
  resume: "Resume work",
  verify: "Verify manually",
  cancel: "Cancel task",
  reopen: "Reopen",
};

/** Display order of the action buttons: forward moves first, the lead's overrides last. */
export const TASK_ACTIONS = list<TaskAction>()([
  "start",
  "submit",
  "resume",
  "verify",
  "assign",
  "reopen",
  "cancel",
]);
