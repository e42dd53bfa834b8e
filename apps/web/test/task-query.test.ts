import { describe, expect, it } from "vitest";
import {
  boardColumns,
  DEFAULT_TASKS_STATE,
  isFiltered,
  parseTasksUrl,
  taskListSearch,
  tasksHref,
  toTaskListParams,
} from "../src/lib/task-query";

describe("tasks URL", () => {
  it("defaults to the board of active tasks", () => {
    expect(parseTasksUrl(new URLSearchParams())).toEqual(DEFAULT_TASKS_STATE);
    expect(toTaskListParams(DEFAULT_TASKS_STATE)).toEqual({ status: "active" });
    expect(isFiltered(DEFAULT_TASKS_STATE)).toBe(false);
  });

  it("round-trips a filter, in canonical order", () => {
    const state = parseTasksUrl(
      new URLSearchParams("view=list&status=in_progress&assignee=me&priority=low,urgent,low&overdue=true"),
    );
    expect(state).toEqual({
      view: "list",
      status: "in_progress",
      assignee: "me",
      priorities: ["urgent", "low"],
      overdue: true,
    });
    expect(tasksHref(state)).toBe(
      "/tasks?view=list&status=in_progress&assignee=me&priority=urgent%2Clow&overdue=true",
    );
    expect(parseTasksUrl(new URL(`http://x${tasksHref(state)}`).searchParams)).toEqual(state);
    expect(toTaskListParams(state)).toEqual({
      status: "in_progress",
      assignee: "me",
      priority: "urgent,low",
      overdue: true,
    });
  });

  it("drops values the API would reject", () => {
    const state = parseTasksUrl(new URLSearchParams("view=grid&status=bogus&assignee=0&priority=meh"));
    expect(state).toEqual(DEFAULT_TASKS_STATE);
  });

  it("asks for every status when status=all", () => {
    const state = parseTasksUrl(new URLSearchParams("status=all"));
    expect(toTaskListParams(state)).toEqual({});
    expect(boardColumns("all")).toHaveLength(7);
    expect(boardColumns("active")).toEqual([
      "open",
      "reopened",
      "assigned",
      "in_progress",
      "awaiting_verification",
    ]);
  });

  it("builds the API query with paging", () => {
    expect(taskListSearch({ host: "a.b", status: "active" }, 1, null)).toBe("status=active&host=a.b&limit=1");
    expect(taskListSearch({ overdue: false }, 100, "c1")).toBe("overdue=false&limit=100&cursor=c1");
  });
});
