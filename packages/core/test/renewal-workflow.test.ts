import * as contracts from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import {
  availableActions,
  checkTransition,
  isOpenTaskStatus,
  OPEN_TASK_STATUSES,
  roleAtLeast,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  type TaskAction,
  type TaskActor,
  type TaskState,
  type TaskStatus,
  USER_ROLES,
  type UserRole,
} from "../src/index";

/** The brief's transition table, written out independently of the implementation. */
const SPEC: Record<TaskAction, { from: TaskStatus[]; to: TaskStatus; by: "assignee" | "lead" }> = {
  assign: { from: ["open", "reopened", "assigned", "in_progress"], to: "assigned", by: "lead" },
  start: { from: ["assigned", "reopened"], to: "in_progress", by: "assignee" },
  submit: { from: ["in_progress"], to: "awaiting_verification", by: "assignee" },
  resume: { from: ["awaiting_verification"], to: "in_progress", by: "assignee" },
  verify: { from: ["awaiting_verification"], to: "done", by: "lead" },
  cancel: {
    from: ["open", "assigned", "in_progress", "awaiting_verification", "reopened"],
    to: "cancelled",
    by: "lead",
  },
  reopen: { from: ["done", "cancelled"], to: "reopened", by: "lead" },
};
const ACTIONS = Object.keys(SPEC) as TaskAction[];

const ASSIGNEE = 7;
const OTHER = 8;

interface ActorCase {
  name: string;
  actor: TaskActor;
}
const ACTORS: ActorCase[] = [
  { name: "viewer who is the assignee", actor: { userId: ASSIGNEE, role: "viewer" } },
  { name: "operator who is the assignee", actor: { userId: ASSIGNEE, role: "operator" } },
  { name: "operator who is not the assignee", actor: { userId: OTHER, role: "operator" } },
  { name: "lead who is not the assignee", actor: { userId: OTHER, role: "lead" } },
  { name: "admin who is not the assignee", actor: { userId: OTHER, role: "admin" } },
];

/** What the brief says should happen, from SPEC alone. */
function expected(task: TaskState, action: TaskAction, actor: TaskActor): "ok" | "invalid" | "forbidden" {
  const rule = SPEC[action];
  if (!rule.from.includes(task.status)) return "invalid";
  if (rule.by === "assignee" && task.assigneeId === null) return "invalid";
  if (actor.role === "lead" || actor.role === "admin") return "ok";
  if (rule.by === "lead") return "forbidden";
  return actor.role === "operator" && actor.userId === task.assigneeId ? "ok" : "forbidden";
}

const STATUS_WORDS: Record<TaskStatus, string> = {
  open: "open",
  assigned: "assigned",
  in_progress: "in progress",
  awaiting_verification: "awaiting verification",
  done: "done",
  reopened: "reopened",
  cancelled: "cancelled",
};
const ACTION_WORDS: Record<TaskAction, string> = {
  assign: "assigned",
  start: "started",
  submit: "submitted for verification",
  resume: "resumed",
  verify: "verified",
  cancel: "cancelled",
  reopen: "reopened",
};

describe("roles", () => {
  it("is a ladder: each role includes the ones before it", () => {
    for (const [i, role] of USER_ROLES.entries()) {
      for (const [j, minimum] of USER_ROLES.entries()) {
        expect(roleAtLeast(role, minimum), `${role} >= ${minimum}`).toBe(i >= j);
      }
    }
  });
});

describe("task statuses", () => {
  it("open statuses are all but done and cancelled", () => {
    expect([...OPEN_TASK_STATUSES]).toEqual([
      "open",
      "assigned",
      "in_progress",
      "awaiting_verification",
      "reopened",
    ]);
    for (const s of TASK_STATUSES) expect(isOpenTaskStatus(s), s).toBe(s !== "done" && s !== "cancelled");
  });

  it("every action the API accepts has exactly one transition", () => {
    expect(TASK_TRANSITIONS.map((t) => t.action)).toEqual([...contracts.TASK_ACTIONS]);
  });
});

describe("TASK_TRANSITIONS", () => {
  it("is the brief's table, one row per action, each with a label", () => {
    expect(TASK_TRANSITIONS.map((t) => t.action)).toEqual(ACTIONS);
    for (const t of TASK_TRANSITIONS) {
      expect({ from: [...t.from].sort(), to: t.to, by: t.by }, t.action).toEqual({
        ...SPEC[t.action],
        from: [...SPEC[t.action].from].sort(),
      });
      expect(t.label.length).toBeGreaterThan(0);
    }
  });
});

describe("checkTransition: every action from every status for every kind of actor", () => {
  const cases = ACTIONS.flatMap((action) => TASK_STATUSES.map((status) => [action, status] as const));

  it.each(cases)("%s from %s", (action, status) => {
    const tasks: TaskState[] = [
      { status, assigneeId: ASSIGNEE },
      { status, assigneeId: null },
    ];
    for (const task of tasks) {
      for (const { name, actor } of ACTORS) {
        const check = checkTransition(task, action, actor);
        const want = expected(task, action, actor);
        const label = `${name}, assignee ${task.assigneeId}`;
        if (want === "ok") {
          expect(check, label).toEqual({ ok: true, to: SPEC[action].to });
          continue;
        }
        expect(check.ok, label).toBe(false);
        if (check.ok) continue;
        expect(check.reason, label).toBe(want);
        // A clear sentence naming the status and the action.
        expect(check.message, label).toMatch(/^A task that is .+\.$/);
        expect(check.message, label).toContain(`that is ${STATUS_WORDS[status]}`);
        expect(check.message, label).toContain(ACTION_WORDS[action]);
      }
    }
  });

  it("checks invalid before forbidden: a viewer asking the impossible hears it is impossible", () => {
    const check = checkTransition({ status: "done", assigneeId: ASSIGNEE }, "start", {
      userId: OTHER,
      role: "viewer",
    });
    expect(check).toMatchObject({ ok: false, reason: "invalid" });
  });
});

describe("checkTransition messages", () => {
  const lead: TaskActor = { userId: OTHER, role: "lead" };
  const message = (task: TaskState, action: TaskAction, actor: TaskActor = lead) => {
    const check = checkTransition(task, action, actor);
    return check.ok ? null : check.message;
  };

  it("says what to do first", () => {
    expect(message({ status: "done", assigneeId: ASSIGNEE }, "start")).toBe(
      "A task that is done cannot be started; reopen it first.",
    );
    expect(message({ status: "in_progress", assigneeId: ASSIGNEE }, "verify")).toBe(
      "A task that is in progress cannot be verified; submit it for verification first.",
    );
    expect(message({ status: "open", assigneeId: null }, "start")).toBe(
      "A task that is open cannot be started; assign it first.",
    );
  });

  it("points to the action that does the same from here", () => {
    expect(message({ status: "awaiting_verification", assigneeId: ASSIGNEE }, "start")).toBe(
      "A task that is awaiting verification cannot be started; resume it instead.",
    );
  });

  it("says when the task is already there", () => {
    expect(message({ status: "cancelled", assigneeId: null }, "cancel")).toBe(
      "A task that is cancelled cannot be cancelled; it is already cancelled.",
    );
    expect(message({ status: "in_progress", assigneeId: ASSIGNEE }, "start")).toBe(
      "A task that is in progress cannot be started; it is already in progress.",
    );
  });

  it("otherwise lists what is possible from this status", () => {
    expect(message({ status: "open", assigneeId: null }, "submit")).toBe(
      "A task that is open cannot be submitted for verification; from open it can only be assigned or cancelled.",
    );
  });

  it("a reopened task without an assignee must be assigned before anyone starts it", () => {
    expect(message({ status: "reopened", assigneeId: null }, "start")).toBe(
      "A task that is reopened and has no assignee cannot be started; assign it first.",
    );
    expect(checkTransition({ status: "reopened", assigneeId: ASSIGNEE }, "start", lead)).toEqual({
      ok: true,
      to: "in_progress",
    });
  });

  it("forbidden names who may do it", () => {
    const operator: TaskActor = { userId: ASSIGNEE, role: "operator" };
    expect(message({ status: "awaiting_verification", assigneeId: ASSIGNEE }, "verify", operator)).toBe(
      "A task that is awaiting verification can be verified only by a lead or admin.",
    );
    expect(
      message({ status: "assigned", assigneeId: ASSIGNEE }, "start", { userId: OTHER, role: "operator" }),
    ).toBe(
      "A task that is assigned can be started only by its assignee (an operator or above) or by a lead or admin.",
    );
    expect(
      message({ status: "assigned", assigneeId: ASSIGNEE }, "start", { userId: ASSIGNEE, role: "viewer" }),
    ).toBe(
      "A task that is assigned can be started only by its assignee (an operator or above) or by a lead or admin. Viewers have read-only access.",
    );
  });
});

describe("availableActions", () => {
  const actor = (role: UserRole, userId = OTHER): TaskActor => ({ userId, role });

  it("viewers can do nothing, in any status", () => {
    for (const status of TASK_STATUSES) {
      expect(availableActions({ status, assigneeId: ASSIGNEE }, actor("viewer", ASSIGNEE))).toEqual([]);
    }
  });

  it("the assignee works the task; another operator cannot", () => {
    expect(
      availableActions({ status: "assigned", assigneeId: ASSIGNEE }, actor("operator", ASSIGNEE)),
    ).toEqual(["start"]);
    expect(
      availableActions({ status: "in_progress", assigneeId: ASSIGNEE }, actor("operator", ASSIGNEE)),
    ).toEqual(["submit"]);
    expect(
      availableActions(
        { status: "awaiting_verification", assigneeId: ASSIGNEE },
        actor("operator", ASSIGNEE),
      ),
    ).toEqual(["resume"]);
    expect(availableActions({ status: "assigned", assigneeId: ASSIGNEE }, actor("operator"))).toEqual([]);
  });

  it("leads and admins get every action the status allows, in table order", () => {
    for (const role of ["lead", "admin"] as const) {
      expect(availableActions({ status: "assigned", assigneeId: ASSIGNEE }, actor(role))).toEqual([
        "assign",
        "start",
        "cancel",
      ]);
      expect(
        availableActions({ status: "awaiting_verification", assigneeId: ASSIGNEE }, actor(role)),
      ).toEqual(["resume", "verify", "cancel"]);
      expect(availableActions({ status: "reopened", assigneeId: null }, actor(role))).toEqual([
        "assign",
        "cancel",
      ]);
      expect(availableActions({ status: "done", assigneeId: ASSIGNEE }, actor(role))).toEqual(["reopen"]);
    }
  });
});
