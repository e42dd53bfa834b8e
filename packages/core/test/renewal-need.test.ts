import { describe, expect, it } from "vitest";
import {
  defaultTaskDueDate,
  defaultTaskPriority,
  isTaskOverdue,
  RENEWAL_RULE_IDS,
  renewalReason,
  TASK_STATUSES,
} from "../src/index";
import type { Finding, Severity } from "../src/types";

const f = (ruleId: string, severity: Severity): Finding => ({
  ruleId,
  severity,
  message: `${ruleId} ${severity}`,
  remediation: "fix it",
});

describe("RENEWAL_RULE_IDS", () => {
  it("are the rules a new certificate fixes, expiry first", () => {
    expect(RENEWAL_RULE_IDS).toEqual([
      "validity",
      "subject-fqdn",
      "eku-server-client",
      "key-usage",
      "rsa-2048",
      "sha256",
      "csp-not-ksp",
      "keyspec",
      "private-key",
    ]);
  });
});

describe("renewalReason", () => {
  it("nothing needs renewing without findings", () => {
    expect(renewalReason([])).toBeNull();
  });

  it.each(RENEWAL_RULE_IDS)("an error of %s counts", (ruleId) => {
    const reason = f(ruleId, "error");
    expect(renewalReason([reason])).toBe(reason);
  });

  it("a validity warning counts: the certificate entered the expiry window", () => {
    const reason = f("validity", "warning");
    expect(renewalReason([f("template-info", "info"), reason])).toBe(reason);
  });

  it("warnings of other renewal rules do not count", () => {
    expect(
      renewalReason(RENEWAL_RULE_IDS.filter((id) => id !== "validity").map((id) => f(id, "warning"))),
    ).toBeNull();
  });

  it("info findings never count, not even validity", () => {
    expect(renewalReason(RENEWAL_RULE_IDS.map((id) => f(id, "info")))).toBeNull();
  });

  it("errors of rules a new certificate does not fix do not count", () => {
    const others = [
      "registry-serial",
      "events",
      "chain",
      "duplicate",
      "exportable",
      "template-info",
      "lifetime",
    ];
    expect(renewalReason(others.map((id) => f(id, "error")))).toBeNull();
  });

  it("picks errors before the validity warning", () => {
    const error = f("private-key", "error");
    expect(renewalReason([f("validity", "warning"), error])).toBe(error);
  });

  it("among errors, picks by RENEWAL_RULE_IDS order, not report order", () => {
    const findings = [f("private-key", "error"), f("sha256", "error"), f("subject-fqdn", "error")];
    expect(renewalReason(findings)?.ruleId).toBe("subject-fqdn");
    expect(renewalReason([f("keyspec", "error"), f("validity", "error")])?.ruleId).toBe("validity");
  });

  it("does not reorder the caller's array", () => {
    const findings = [f("private-key", "error"), f("validity", "error")];
    renewalReason(findings);
    expect(findings.map((x) => x.ruleId)).toEqual(["private-key", "validity"]);
  });
});

const now = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
const plus = (days: number, ms = 0) => new Date(now.getTime() + days * DAY + ms);

describe("defaultTaskDueDate", () => {
  it("is 7 days before expiry", () => {
    expect(defaultTaskDueDate(plus(60), now)).toEqual(plus(53));
  });

  it("is never earlier than now + 2 days", () => {
    expect(defaultTaskDueDate(plus(9), now)).toEqual(plus(2));
    expect(defaultTaskDueDate(plus(9, 1), now)).toEqual(plus(2, 1));
    expect(defaultTaskDueDate(plus(9, -1), now)).toEqual(plus(2));
    expect(defaultTaskDueDate(plus(3), now)).toEqual(plus(2));
  });

  it("an already expired certificate still gets an achievable deadline", () => {
    expect(defaultTaskDueDate(plus(-30), now)).toEqual(plus(2));
  });

  it("unknown expiry: now + 2 days", () => {
    expect(defaultTaskDueDate(null, now)).toEqual(plus(2));
  });
});

describe("defaultTaskPriority", () => {
  const warning = f("validity", "warning");

  it("expired is urgent, whatever the reason", () => {
    expect(defaultTaskPriority(f("validity", "error"), plus(-1), now)).toBe("urgent");
    expect(defaultTaskPriority(f("rsa-2048", "error"), plus(-1), now)).toBe("urgent");
    expect(defaultTaskPriority(f("validity", "error"), now, now)).toBe("urgent");
  });

  it("any other error is high", () => {
    expect(defaultTaskPriority(f("subject-fqdn", "error"), plus(0, 1), now)).toBe("high");
    expect(defaultTaskPriority(f("sha256", "error"), plus(300), now)).toBe("high");
    expect(defaultTaskPriority(f("private-key", "error"), null, now)).toBe("high");
  });

  it("a validity warning is high with at most 7 whole days left", () => {
    expect(defaultTaskPriority(warning, plus(7), now)).toBe("high");
    expect(defaultTaskPriority(warning, plus(8, -1), now)).toBe("high");
    expect(defaultTaskPriority(warning, plus(8), now)).toBe("normal");
    expect(defaultTaskPriority(warning, plus(25), now)).toBe("normal");
  });

  it("a validity warning without a known expiry is normal", () => {
    expect(defaultTaskPriority(warning, null, now)).toBe("normal");
  });
});

describe("isTaskOverdue", () => {
  it("open tasks are overdue once dueAt has passed, not at dueAt", () => {
    expect(isTaskOverdue({ status: "in_progress", dueAt: plus(0, -1) }, now)).toBe(true);
    expect(isTaskOverdue({ status: "in_progress", dueAt: now }, now)).toBe(false);
  });

  it("done and cancelled tasks are never overdue; every other status can be", () => {
    for (const status of TASK_STATUSES) {
      expect(isTaskOverdue({ status, dueAt: plus(-5) }, now), status).toBe(
        status !== "done" && status !== "cancelled",
      );
    }
  });
});
