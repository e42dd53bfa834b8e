import type { Task, TaskPage, UserRole } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createUser, type SignedIn, signIn, type TestApp } from "./support/app";
import { createPki, type Pki } from "./support/reports";
import { certificateExpiringIn, DAY, detail, move, onlyTask, report, tasksFor } from "./support/tasks";

let t: TestApp;
let pki: Pki;
let lead: SignedIn;
let operator: SignedIn;
let otherOperator: SignedIn;

const loaded = (minutesAgo = 1) => [
  {
    id: 20053,
    time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    message: "certificate loaded",
  },
];

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  lead = await t.as("lead");
  operator = await t.as("operator");
  otherOperator = await newUser("op2@test.certfleet.local", "operator");
});
afterAll(async () => t?.close());

/** Another signed-in user of this role, created through the admin API. */
async function newUser(email: string, role: UserRole): Promise<SignedIn> {
  const password = `${role}-password-for-${email}`;
  await createUser(t.app, await t.as("admin"), { email, name: email, role, password });
  return signIn(t.app, email, password);
}

describe("tasks from collector reports", () => {
  it("creates one task when the bound certificate enters the warning window, and no duplicate", async () => {
    const fqdn = "expiring.contoso.com";
    const old = await certificateExpiringIn(pki, fqdn, 12);
    await report(t, fqdn, [old], old);
    await report(t, fqdn, [old], old, loaded(0));
    const task = await onlyTask(t, fqdn);
    expect(task).toMatchObject({
      status: "open",
      priority: "normal",
      reason: { ruleId: "validity", severity: "warning" },
      certificate: { sha256: old.sha256 },
      assignee: null,
      version: 1,
    });
    // Due a week before expiry.
    expect(Date.parse(task.dueAt)).toBeCloseTo(Date.now() + 5 * DAY, -6);
    expect((await detail(t, task.id)).history.map((h) => [h.action, h.actor])).toEqual([
      ["task.auto_create", null],
    ]);
  });

  it("creates none for a healthy host, and an urgent one for an expired certificate", async () => {
    const healthy = await certificateExpiringIn(pki, "healthy.contoso.com", 300);
    await report(t, "healthy.contoso.com", [healthy], healthy);
    expect(await tasksFor(t, "healthy.contoso.com")).toEqual([]);

    const expired = await certificateExpiringIn(pki, "expired.contoso.com", -3);
    await report(t, "expired.contoso.com", [expired], expired);
    const task = await onlyTask(t, "expired.contoso.com");
    expect(task).toMatchObject({ priority: "urgent", reason: { ruleId: "validity", severity: "error" } });
    expect(Date.parse(task.dueAt)).toBeGreaterThan(Date.now() + 1.9 * DAY);
  });

  it("runs the whole cycle: assign, start, submit, auto-close on the new certificate with 20053, reopen on regression", async () => {
    const fqdn = "cycle.contoso.com";
    const old = await certificateExpiringIn(pki, fqdn, 10);
    await report(t, fqdn, [old], old);
    let task = await onlyTask(t, fqdn);

    const assigned = await move(t, lead, task, "assign", { assigneeId: operator.userId });
    expect(assigned.statusCode).toBe(200);
    task = assigned.json<Task>();
    expect(task).toMatchObject({ status: "assigned", assignee: { id: operator.userId }, version: 2 });

    task = (await move(t, operator, task, "start")).json<Task>();
    expect(task.status).toBe("in_progress");

    // The renewed certificate is in the store but not imported yet: still in progress, not closed.
    const renewed = await certificateExpiringIn(pki, fqdn, 365);
    await report(t, fqdn, [old, renewed], old);
    expect((await onlyTask(t, fqdn)).status).toBe("in_progress");

    task = (await move(t, operator, await onlyTask(t, fqdn), "submit")).json<Task>();
    expect(task.status).toBe("awaiting_verification");

    // Imported, but the last connector event is a failure (20066 after 20053): not verified.
    await report(t, fqdn, [old, renewed], renewed, [
      { id: 20053, time: new Date(Date.now() - 120_000).toISOString(), message: "loaded" },
      { id: 20066, time: new Date(Date.now() - 60_000).toISOString(), message: "not in store" },
    ]);
    expect((await onlyTask(t, fqdn)).status).toBe("awaiting_verification");

    // The report above was the first to show the renewed certificate bound; a 20053 logged after it
    // (the Health Service restarted since) closes the task (issue 13).
    await report(t, fqdn, [old, renewed], renewed, loaded(0));
    const closed = await onlyTask(t, fqdn);
    expect(closed).toMatchObject({ status: "done", resolvedCertificateSha256: renewed.sha256 });
    expect(closed.closedAt).not.toBeNull();

    // Someone re-imports the old certificate: the host regressed, so the same task reopens.
    await report(t, fqdn, [old, renewed], old, loaded());
    const reopened = await onlyTask(t, fqdn);
    expect(reopened).toMatchObject({ id: closed.id, status: "reopened", assignee: { id: operator.userId } });
    expect((await detail(t, closed.id)).history.map((h) => h.action)).toEqual([
      "task.auto_create",
      "task.assign",
      "task.start",
      "task.submit",
      "task.auto_close",
      "task.auto_reopen",
    ]);
  });

  it("respects a cancelled task for the same certificate, and opens new work for a different one", async () => {
    const fqdn = "cancelled.contoso.com";
    const old = await certificateExpiringIn(pki, fqdn, 8);
    await report(t, fqdn, [old], old);
    const task = await onlyTask(t, fqdn);
    expect((await move(t, lead, task, "cancel")).json()).toMatchObject({ status: "cancelled" });
    await report(t, fqdn, [old], old);
    expect((await tasksFor(t, fqdn)).map((x) => x.status)).toEqual(["cancelled"]);

    const another = await certificateExpiringIn(pki, fqdn, 5);
    await report(t, fqdn, [another], another);
    expect((await tasksFor(t, fqdn)).map((x) => x.status).sort()).toEqual(["cancelled", "open"]);
  });
});

describe("transitions", () => {
  let n = 0;
  async function freshTask(): Promise<Task> {
    n += 1;
    const fqdn = `transitions-${n}.contoso.com`;
    const certificate = await certificateExpiringIn(pki, fqdn, 9);
    await report(t, fqdn, [certificate], certificate);
    return onlyTask(t, fqdn);
  }

  it("lets only the assignee (or a lead) work a task", async () => {
    let task = (
      await move(t, lead, await freshTask(), "assign", { assigneeId: operator.userId })
    ).json<Task>();
    const notMine = await move(t, otherOperator, task, "start");
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().detail).toMatch(/assign/i);
    task = (await move(t, operator, task, "start")).json<Task>();
    // Each caller is offered what they may do: the assignee can submit, another operator nothing.
    expect(task.actions).toEqual(["submit"]);
    const asOther = await t.app.inject({
      method: "GET",
      url: `/api/v1/tasks/${task.id}`,
      headers: otherOperator.headers,
    });
    expect(asOther.json<Task>().actions).toEqual([]);
  });

  it("refuses an action the status does not allow with 409 and the current task", async () => {
    const task = await freshTask();
    const response = await move(t, lead, task, "start");
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ current: { id: task.id, status: "open", version: 1 } });
  });

  it("requires an assignee for assign, and an enabled operator or better", async () => {
    const task = await freshTask();
    const missing = await move(t, lead, task, "assign");
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([{ field: "assigneeId", message: "is required to assign a task" }]);
    const viewer = await t.as("viewer");
    const toViewer = await move(t, lead, task, "assign", { assigneeId: viewer.userId });
    expect(toViewer.statusCode).toBe(422);
    expect((await onlyTask(t, task.host.fqdn)).version).toBe(1);
  });

  it("lets leads verify and reopen by hand, and never operators", async () => {
    let task = (
      await move(t, lead, await freshTask(), "assign", { assigneeId: operator.userId })
    ).json<Task>();
    task = (await move(t, operator, task, "start")).json<Task>();
    task = (await move(t, operator, task, "submit")).json<Task>();
    expect((await move(t, operator, task, "verify")).statusCode).toBe(403);
    task = (await move(t, lead, task, "verify")).json<Task>();
    expect(task).toMatchObject({ status: "done" });
    expect(task.closedAt).not.toBeNull();
    task = (await move(t, lead, task, "reopen")).json<Task>();
    expect(task).toMatchObject({ status: "reopened", closedAt: null });
    task = (await move(t, operator, task, "start")).json<Task>();
    expect(task.status).toBe("in_progress");
    task = (await move(t, operator, task, "submit")).json<Task>();
    task = (await move(t, operator, task, "resume")).json<Task>();
    expect(task.status).toBe("in_progress");
  });

  it("gives exactly one of two leads assigning at once the task; the other gets 409 with the winner's state", async () => {
    const task = await freshTask();
    const secondLead = await newUser("lead2@test.certfleet.local", "lead");
    const [a, b] = await Promise.all([
      move(t, lead, task, "assign", { assigneeId: operator.userId }),
      move(t, secondLead, task, "assign", { assigneeId: otherOperator.userId }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = (a.statusCode === 200 ? a : b).json<Task>();
    const loser = (a.statusCode === 409 ? a : b).json<{ current: Task }>();
    expect(loser.current).toMatchObject({ version: 2, assignee: { id: winner.assignee?.id } });
    const history = (await detail(t, task.id)).history.filter((h) => h.action === "task.assign");
    expect(history).toHaveLength(1);
  });

  it("lets leads change priority, due date and note with the version they saw", async () => {
    const task = await freshTask();
    const due = new Date(Date.now() - DAY).toISOString();
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tasks/${task.id}`,
      headers: lead.headers,
      payload: {
        version: task.version,
        priority: "high",
        dueAt: due,
        note: "Coordinate with the gateway team",
      },
    });
    expect(patched.json()).toMatchObject({ priority: "high", dueAt: due, overdue: true, version: 2 });
    const stale = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tasks/${task.id}`,
      headers: lead.headers,
      payload: { version: task.version, priority: "low" },
    });
    expect(stale.statusCode).toBe(409);
    const overdue = (await t.get(`/api/v1/tasks?overdue=true&host=${task.host.fqdn}`)).json();
    expect(overdue.items.map((x: Task) => x.id)).toEqual([task.id]);
  });

  it("bulk-assigns, reporting each task that could not be assigned", async () => {
    const [first, second, third] = [await freshTask(), await freshTask(), await freshTask()];
    await move(t, lead, third as Task, "cancel");
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/tasks/bulk-assign",
      headers: lead.headers,
      payload: { taskIds: [first?.id, second?.id, third?.id, 987654], assigneeId: otherOperator.userId },
    });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.assigned.map((x: Task) => x.id)).toEqual([first?.id, second?.id]);
    expect(
      result.failed.map((f: { taskId: number; problem: { status: number } }) => [f.taskId, f.problem.status]),
    ).toEqual([
      [third?.id, 409],
      [987654, 404],
    ]);
    const mine = (
      await t.app.inject({
        method: "GET",
        url: "/api/v1/tasks?assignee=me&status=assigned",
        headers: otherOperator.headers,
      })
    ).json();
    expect(mine.items.map((x: Task) => x.id)).toEqual(expect.arrayContaining([first?.id, second?.id]));
  });
});

describe("renewal settings", () => {
  it("lets an admin set how long before expiry new tasks are due, audited, and rejects nonsense", async () => {
    const admin = await t.as("admin");
    const patch = (value: unknown) =>
      t.app.inject({
        method: "PATCH",
        url: "/api/v1/settings",
        headers: admin.headers,
        payload: { renewalDueDaysBeforeExpiry: value },
      });
    const bad = await patch(0);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("renewalDueDaysBeforeExpiry");
    expect((await t.get("/api/v1/settings")).json()).toMatchObject({
      renewalDueDaysBeforeExpiry: 7,
      updatedAt: null,
    });

    const saved = await patch(14);
    expect(saved.json()).toMatchObject({ renewalDueDaysBeforeExpiry: 14, expiryWarningDays: 30 });
    const audit = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=setting.update",
      headers: admin.headers,
    });
    expect(audit.json().items[0]).toMatchObject({
      actor: admin.email,
      before: { renewalDueDaysBeforeExpiry: 7 },
      after: { renewalDueDaysBeforeExpiry: 14 },
    });

    const fqdn = "policy.contoso.com";
    const certificate = await certificateExpiringIn(pki, fqdn, 25);
    await report(t, fqdn, [certificate], certificate);
    expect(Date.parse((await onlyTask(t, fqdn)).dueAt)).toBeCloseTo(Date.now() + 11 * DAY, -6);
    await patch(7);
  });
});

describe("task list and detail", () => {
  it("pages with a cursor without losing or repeating a task", async () => {
    const all = (await t.get("/api/v1/tasks?limit=500")).json();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: TaskPage = (
        await t.get(`/api/v1/tasks?limit=3${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      expect(page.total).toBe(all.total);
      seen.push(...page.items.map((x: Task) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((x: Task) => x.id));
    expect(new Set(seen).size).toBe(all.total);
  });

  it("rejects a bad filter with 400 naming it", async () => {
    const response = await t.get("/api/v1/tasks?status=finished");
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe("status");
  });

  it("gives the operator the seed's checklist and a CertReq .inf for the host", async () => {
    const task = await onlyTask(t, "expiring.contoso.com");
    const full = await detail(t, task.id);
    expect(full.checklist.map((step) => step.command ?? "").join(" | ")).toMatch(
      /CertReq -New.*MOMCertImport/,
    );
    expect(full.checklist.some((step) => step.detail.includes("20053"))).toBe(true);
    const inf = await t.app.inject({ method: "GET", url: full.certReqUrl, headers: operator.headers });
    expect(inf.statusCode).toBe(200);
    expect(inf.headers["content-disposition"]).toContain('filename="expiring.contoso.com.inf"');
    expect(inf.body).toContain('Subject="CN=expiring.contoso.com"');
    expect(inf.body).toContain("KeySpec = 1");
    expect(inf.body).toContain("\r\n");
    expect(
      (await t.app.inject({ method: "GET", url: full.certReqUrl, headers: (await t.as("viewer")).headers }))
        .statusCode,
    ).toBe(403);
  });
});
