import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../src/lib/api";
import { fieldErrors } from "../src/lib/field-errors";
import { roleAtLeast } from "../src/lib/roles";
import { sendJson } from "../src/lib/send";
import { conflictCurrent, newestTask } from "../src/lib/task-api";

const problem = (status: number, title: string, extra: object = {}) =>
  new Response(JSON.stringify({ type: "about:blank", title, status, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

afterEach(() => vi.unstubAllGlobals());

describe("sendJson", () => {
  it("sends the CSRF token and JSON body", async () => {
    const fetch = vi.fn(async (_path: string, _init?: RequestInit) => Response.json({ ok: true }));
    vi.stubGlobal("fetch", fetch);
    const result = await sendJson(
      "/api/x",
      "POST",
      { a: 1 },
      { token: async () => "t1", refresh: async () => "t2" },
    );
    expect(result).toEqual({ ok: true });
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.headers).toMatchObject({ "x-csrf-token": "t1", "content-type": "application/json" });
    expect(init?.body).toBe('{"a":1}');
  });

  it("refreshes the token and retries once when the API rejects it", async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(problem(403, "Missing or invalid CSRF token"))
      .mockResolvedValueOnce(Response.json({ ok: 2 }));
    vi.stubGlobal("fetch", fetch);
    const refresh = vi.fn(async () => "fresh");
    const result = await sendJson("/api/x", "POST", undefined, { token: async () => "stale", refresh });
    expect(result).toEqual({ ok: 2 });
    expect(refresh).toHaveBeenCalledOnce();
    const retried = fetch.mock.calls[1]?.[1] as RequestInit | undefined;
    expect(retried?.headers).toMatchObject({ "x-csrf-token": "fresh" });
  });

  it("does not retry other 403s", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => problem(403, "Not allowed for your role")),
    );
    const refresh = vi.fn(async () => "fresh");
    await expect(sendJson("/api/x", "PATCH", {}, { token: async () => "t", refresh })).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe("task helpers", () => {
  it("reads the current task from a 409 problem", () => {
    const current = { id: 1, status: "assigned" };
    expect(
      conflictCurrent(new ApiError(409, "Conflict", undefined, { title: "Conflict", status: 409, current })),
    ).toBe(current);
    expect(
      conflictCurrent(new ApiError(409, "Conflict", undefined, { title: "Conflict", status: 409 })),
    ).toBeUndefined();
    expect(conflictCurrent(new Error("x"))).toBeUndefined();
  });

  it("picks the most recently created task", () => {
    const tasks = [
      { id: 1, createdAt: "2026-01-01T00:00:00.000Z" },
      { id: 2, createdAt: "2026-03-01T00:00:00.000Z" },
    ] as Parameters<typeof newestTask>[0];
    expect(newestTask(tasks)?.id).toBe(2);
    expect(newestTask([])).toBeNull();
  });
});

describe("roleAtLeast", () => {
  it("follows the ladder", () => {
    expect(roleAtLeast("admin", "lead")).toBe(true);
    expect(roleAtLeast("operator", "lead")).toBe(false);
    expect(roleAtLeast(undefined, "viewer")).toBe(false);
  });
});

describe("fieldErrors", () => {
  it("puts each message under its field and the rest in a summary", () => {
    const error = new ApiError(422, "Bad", undefined, {
      title: "Bad",
      status: 422,
      errors: [
        { field: "password", message: "must be at least 12 characters" },
        { field: "email", message: "is already in use" },
        { field: "extra", message: "is not allowed" },
      ],
    });
    expect(fieldErrors(error, ["email", "password"])).toEqual({
      byField: { password: "must be at least 12 characters", email: "is already in use" },
      other: ["extra is not allowed"],
    });
  });
});
