import type { ConnectorEvent } from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import {
  decideRenewalTask,
  type HostRenewalState,
  type LatestTask,
  OPEN_TASK_STATUSES,
  renewalVerified,
  type TaskStatus,
} from "../src/index";
import type { Finding, Severity } from "../src/types";

const now = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
const plus = (days: number) => new Date(now.getTime() + days * DAY);

/** The certificate the task replaces, the one that closed it, and one the task never saw. */
const OLD = "a".repeat(64);
const NEW = "b".repeat(64);
const THIRD = "c".repeat(64);

const f = (ruleId: string, severity: Severity): Finding => ({
  ruleId,
  severity,
  message: `${ruleId} ${severity}`,
  remediation: "fix it",
});
/** 2026-06-01 at this hour (UTC); fractions are minutes. */
const at = (hour: number) => new Date(Date.UTC(2026, 5, 1, 0, hour * 60)).toISOString();
const hour = (h: number) => new Date(at(h));
const events = (...list: Array<[id: number, hour: number]>): ConnectorEvent[] =>
  list.map(([id, hour]) => ({ id, time: at(hour) }));

/**
 * A host on the new certificate (valid from 06:00), first reported bound to it at 08:00, loaded (20053)
 * at 09:00 since, nothing wrong.
 */
const host = (overrides: Partial<HostRenewalState> = {}): HostRenewalState => ({
  boundSha256: NEW,
  boundNotAfter: plus(365),
  boundNotBefore: hour(6),
  boundFirstSeenAt: hour(8),
  findings: [],
  events: events([20053, 9]),
  ...overrides,
});
const task = (status: TaskStatus, resolved: string | null = null): LatestTask => ({
  status,
  certificateSha256: OLD,
  resolvedCertificateSha256: resolved,
});

describe("renewalVerified", () => {
  it("holds for a different bound certificate, no errors, no renewal reason and 20053 newest", () => {
    expect(renewalVerified(OLD, host())).toBe(true);
  });

  it("fails when nothing is bound", () => {
    expect(renewalVerified(OLD, host({ boundSha256: null, boundNotAfter: null }))).toBe(false);
  });

  it("fails while the host is still bound to the task's certificate", () => {
    expect(renewalVerified(OLD, host({ boundSha256: OLD }))).toBe(false);
  });

  it("fails on any error finding, even of a rule a new certificate does not fix", () => {
    expect(renewalVerified(OLD, host({ findings: [f("registry-serial", "error")] }))).toBe(false);
    expect(renewalVerified(OLD, host({ findings: [f("chain", "error")] }))).toBe(false);
  });

  it("fails when the new certificate already needs renewing (validity warning)", () => {
    expect(renewalVerified(OLD, host({ findings: [f("validity", "warning")] }))).toBe(false);
  });

  it("fails when a load failure follows the 20053", () => {
    expect(renewalVerified(OLD, host({ events: events([20053, 8], [20066, 9]) }))).toBe(false);
  });

  it("fails without events, or with no certificate-load event among them", () => {
    expect(renewalVerified(OLD, host({ events: [] }))).toBe(false);
    expect(renewalVerified(OLD, host({ events: events([21020, 8], [20070, 9]) }))).toBe(false);
  });

  it("reads events by time like the events rule: 20053 after a fixed 20066 counts", () => {
    expect(renewalVerified(OLD, host({ events: events([20066, 8], [20053, 9]) }))).toBe(true);
    expect(renewalVerified(OLD, host({ events: events([20053, 9], [20066, 8]) }))).toBe(true);
  });

  it("warnings and info of other rules do not block it", () => {
    const findings = [f("events", "warning"), f("exportable", "info"), f("template-info", "info")];
    expect(renewalVerified(OLD, host({ findings }))).toBe(true);
  });

  it("a task created with nothing bound is verified by any loaded certificate", () => {
    expect(renewalVerified(null, host())).toBe(true);
  });
});

// Issue 13, "Renewal verification": each condition failing alone keeps the task open. The 20053 is
// Microsoft's "loaded the specified authentication certificate" (HealthService Event Reference,
// MOMConnector), which the seed ("Import the certificate into Operations Manager", step 9) looks for.
describe("renewalVerified: the 20053 must be newer than the binding, with nothing wrong after it", () => {
  it("fails when the 20053 is older than the certificate's notBefore (it loaded another certificate)", () => {
    const state = host({ boundNotBefore: hour(10), boundFirstSeenAt: hour(8), events: events([20053, 9]) });
    expect(renewalVerified(OLD, state)).toBe(false);
    expect(decideRenewalTask(task("awaiting_verification"), state, now)).toEqual({ kind: "none" });
  });

  it("fails when the 20053 is as old as the certificate's notBefore (newer means strictly newer)", () => {
    expect(renewalVerified(OLD, host({ boundNotBefore: hour(9) }))).toBe(false);
  });

  it("fails when the 20053 is older than the first report that showed the new binding", () => {
    const state = host({ boundFirstSeenAt: hour(10), events: events([20053, 9]) });
    expect(renewalVerified(OLD, state)).toBe(false);
    expect(decideRenewalTask(task("in_progress"), state, now)).toEqual({ kind: "none" });
  });

  it("the report that first shows the binding cannot close the task: its own collectedAt is the first sighting", () => {
    // The collector read the host at 11:00 and saw the new certificate bound for the first time; the 20053
    // at 09:00 in that same report may be the load of the old certificate before MOMCertImport ran.
    const firstReport = host({ boundFirstSeenAt: hour(11), events: events([20053, 9]) });
    expect(renewalVerified(OLD, firstReport)).toBe(false);
    // A later report, with a 20053 after 11:00 (the Health Service restarted since), closes it.
    const later = host({ boundFirstSeenAt: hour(11), events: events([20053, 9], [20053, 11.5]) });
    expect(renewalVerified(OLD, later)).toBe(true);
  });

  it("fails when the binding's notBefore or first sighting is unknown", () => {
    expect(renewalVerified(OLD, host({ boundNotBefore: null }))).toBe(false);
    expect(renewalVerified(OLD, host({ boundFirstSeenAt: null }))).toBe(false);
  });

  it.each([21007, 20070, 20071, 20072, 20057, 21001, 21002, 21003, 20002])(
    "fails when channel problem %i follows the 20053",
    (id) => {
      const state = host({ events: events([20053, 9], [id, 10]) });
      expect(renewalVerified(OLD, state)).toBe(false);
      expect(decideRenewalTask(task("awaiting_verification"), state, now)).toEqual({ kind: "none" });
    },
  );

  it("a channel problem before the 20053 (fixed by the reload) does not block it", () => {
    expect(renewalVerified(OLD, host({ events: events([21007, 8.5], [20053, 9]) }))).toBe(true);
  });

  it("a channel problem in the same second but later in the log (higher record id) follows the 20053", () => {
    const sameSecond: ConnectorEvent[] = [
      { id: 20071, time: at(9), recordId: 501 },
      { id: 20053, time: at(9), recordId: 500 },
    ];
    expect(renewalVerified(OLD, host({ events: sameSecond }))).toBe(false);
    const loadLast: ConnectorEvent[] = [
      { id: 20053, time: at(9), recordId: 502 },
      { id: 20071, time: at(9), recordId: 501 },
    ];
    expect(renewalVerified(OLD, host({ events: loadLast }))).toBe(true);
  });

  it("events that are neither loads nor channel problems after the 20053 do not matter", () => {
    expect(renewalVerified(OLD, host({ events: events([20053, 9], [1234, 10]) }))).toBe(true);
  });
});

describe("decideRenewalTask: no task yet", () => {
  it("nothing to do for a healthy host", () => {
    expect(decideRenewalTask(null, host(), now)).toEqual({ kind: "none" });
  });

  it("creates one with the default due date and priority", () => {
    const reason = f("validity", "warning");
    expect(decideRenewalTask(null, host({ findings: [reason], boundNotAfter: plus(20) }), now)).toEqual({
      kind: "create",
      reason,
      dueAt: plus(13),
      priority: "normal",
    });
  });

  it("takes the due date from the admin's renewal policy, still never sooner than 2 days", () => {
    const reason = f("validity", "warning");
    const state = host({ findings: [reason], boundNotAfter: plus(20) });
    expect(decideRenewalTask(null, state, now, { dueDaysBeforeExpiry: 14 })).toMatchObject({
      dueAt: plus(6),
    });
    expect(decideRenewalTask(null, state, now, { dueDaysBeforeExpiry: 30 })).toMatchObject({
      dueAt: plus(2),
    });
  });

  it("an expired certificate: urgent, due in 2 days", () => {
    const reason = f("validity", "error");
    expect(decideRenewalTask(null, host({ findings: [reason], boundNotAfter: plus(-3) }), now)).toEqual({
      kind: "create",
      reason,
      dueAt: plus(2),
      priority: "urgent",
    });
  });

  it("uses the renewal reason, not the first finding", () => {
    const reason = f("subject-fqdn", "error");
    const decision = decideRenewalTask(
      null,
      host({ findings: [f("registry-serial", "error"), reason] }),
      now,
    );
    expect(decision).toMatchObject({ kind: "create", reason, priority: "high" });
  });
});

describe("decideRenewalTask: open task", () => {
  it.each(OPEN_TASK_STATUSES)("%s closes once the renewal is verified", (status) => {
    expect(decideRenewalTask(task(status), host(), now)).toEqual({
      kind: "close",
      resolvedCertificateSha256: NEW,
    });
  });

  it.each(OPEN_TASK_STATUSES)("%s never gets a second task while the host still needs renewing", (status) => {
    const broken = host({ boundSha256: OLD, findings: [f("validity", "error")], boundNotAfter: plus(-1) });
    expect(decideRenewalTask(task(status), broken, now)).toEqual({ kind: "none" });
  });

  it("stays open while the import is unconfirmed (no 20053)", () => {
    expect(decideRenewalTask(task("awaiting_verification"), host({ events: [] }), now)).toEqual({
      kind: "none",
    });
  });
});

describe("decideRenewalTask: done task", () => {
  it("nothing to do while the host stays healthy", () => {
    expect(decideRenewalTask(task("done", NEW), host(), now)).toEqual({ kind: "none" });
  });

  it("reopens when the host rolled back to the replaced certificate", () => {
    const reason = f("validity", "error");
    const decision = decideRenewalTask(
      task("done", NEW),
      host({ boundSha256: OLD, findings: [reason] }),
      now,
    );
    expect(decision).toEqual({ kind: "reopen", reason });
  });

  it("reopens when the certificate that closed it regressed (lost its private key)", () => {
    const reason = f("private-key", "error");
    const decision = decideRenewalTask(task("done", NEW), host({ findings: [reason] }), now);
    expect(decision).toEqual({ kind: "reopen", reason });
  });

  it("creates a new task when the certificate that closed it nears its own expiry", () => {
    const reason = f("validity", "warning");
    const decision = decideRenewalTask(
      task("done", NEW),
      host({ findings: [reason], boundNotAfter: plus(5) }),
      now,
    );
    expect(decision).toEqual({ kind: "create", reason, dueAt: plus(2), priority: "high" });
  });

  it("creates a new task when the certificate that closed it has expired", () => {
    const reason = f("validity", "error");
    const decision = decideRenewalTask(
      task("done", NEW),
      host({ findings: [reason], boundNotAfter: plus(-1) }),
      now,
    );
    expect(decision).toMatchObject({ kind: "create", reason, priority: "urgent" });
  });

  it("creates a new task for a certificate the task never saw", () => {
    const reason = f("subject-fqdn", "error");
    const decision = decideRenewalTask(
      task("done", NEW),
      host({ boundSha256: THIRD, findings: [reason] }),
      now,
    );
    expect(decision).toMatchObject({ kind: "create", reason });
  });
});

describe("decideRenewalTask: cancelled task", () => {
  const reason = f("validity", "warning");

  it("stays cancelled for the same certificate", () => {
    expect(decideRenewalTask(task("cancelled"), host({ boundSha256: OLD, findings: [reason] }), now)).toEqual(
      {
        kind: "none",
      },
    );
  });

  it("a different certificate needing renewal is new work", () => {
    expect(
      decideRenewalTask(task("cancelled"), host({ boundSha256: THIRD, findings: [reason] }), now),
    ).toMatchObject({
      kind: "create",
      reason,
    });
  });

  it("nothing to do when the host needs no renewal", () => {
    expect(decideRenewalTask(task("cancelled"), host({ boundSha256: THIRD }), now)).toEqual({ kind: "none" });
  });
});
