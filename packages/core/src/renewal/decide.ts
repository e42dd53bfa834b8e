import { CHANNEL_PROBLEMS, EVENT_CERTIFICATE_LOADED } from "../rules/event-meanings";
import { eventsAfter, newestLoadEvent } from "../rules/events";
import type { ConnectorEvent, Finding } from "../types";
import { defaultTaskDueDate, defaultTaskPriority, TASK_DUE_DAYS_BEFORE_EXPIRY } from "./defaults";
import { renewalReason } from "./need";
import { isOpenTaskStatus, type TaskPriority, type TaskStatus } from "./workflow";

/**
 * What a newly accepted collector report means for the host's renewal task. The report is the only
 * evidence certfleet has, so the collector, not a person, confirms a renewal (seed "Import the
 * certificate into Operations Manager": event 20053 follows the import) and notices a regression.
 */

/** The host's newest task, whatever its status. */
export interface LatestTask {
  status: TaskStatus;
  /** The certificate the task was created to replace (null if none was bound then). */
  certificateSha256: string | null;
  /** The certificate that closed the task (set when the collector confirmed the renewal). */
  resolvedCertificateSha256: string | null;
}

/** The host as the accepted report shows it: evaluation results plus the events as reported. */
export interface HostRenewalState {
  boundSha256: string | null;
  boundNotAfter: Date | null;
  /** The bound certificate's notBefore: a 20053 older than that was the load of another certificate. */
  boundNotBefore: Date | null;
  /**
   * When the first report that showed the current binding was collected (the binding history's
   * firstSeenAt; this report's collectedAt when it is the first). A 20053 older than that may predate
   * the binding, so the report that first shows a new certificate can never close its task alone.
   */
  boundFirstSeenAt: Date | null;
  findings: Finding[];
  events: ConnectorEvent[];
}

export type TaskDecision =
  | { kind: "none" }
  | { kind: "create"; reason: Finding; dueAt: Date; priority: TaskPriority }
  | { kind: "close"; resolvedCertificateSha256: string }
  | { kind: "reopen"; reason: Finding };

const NONE: TaskDecision = { kind: "none" };

/**
 * The renewal is done (issue 13, "Renewal verification") when every one of these holds:
 * - SCOM is bound to a certificate other than the one the task replaces;
 * - nothing is wrong with it: no error finding of any rule (a new certificate that is not trusted is not
 *   a finished renewal), nor one that already needs renewing;
 * - the newest certificate-load event (read as the events rule reads it) is a 20053 newer than the
 *   certificate's notBefore and newer than the first report that showed the binding: only then is it the
 *   load of this certificate after it was bound, not a load of the one before;
 * - no channel-problem event follows that 20053 (loaded, but the channel still fails).
 * Anything else leaves the task open; a lead can still verify by hand.
 */
export function renewalVerified(taskCertificateSha256: string | null, host: HostRenewalState): boolean {
  if (host.boundSha256 === null || host.boundSha256 === taskCertificateSha256) return false;
  if (host.findings.some((f) => f.severity === "error")) return false;
  if (renewalReason(host.findings) !== null) return false;
  const load = newestLoadEvent(host.events);
  if (load?.id !== EVENT_CERTIFICATE_LOADED) return false;
  if (!loadedAfterBinding(Date.parse(load.time), host)) return false;
  return !eventsAfter(host.events, load).some((event) => event.id in CHANNEL_PROBLEMS);
}

/** Strictly newer than both the certificate's notBefore and the binding's first report; unknown is not newer. */
function loadedAfterBinding(loadedAt: number, host: HostRenewalState): boolean {
  const { boundNotBefore, boundFirstSeenAt } = host;
  if (boundNotBefore === null || boundFirstSeenAt === null) return false;
  return loadedAt > boundNotBefore.getTime() && loadedAt > boundFirstSeenAt.getTime();
}

/** What an admin may tune about new tasks (the renewal settings). */
export interface RenewalPolicy {
  /** A new task is due this many days before the certificate expires. */
  dueDaysBeforeExpiry: number;
}

export const DEFAULT_RENEWAL_POLICY: RenewalPolicy = { dueDaysBeforeExpiry: TASK_DUE_DAYS_BEFORE_EXPIRY };

function create(reason: Finding, host: HostRenewalState, now: Date, policy: RenewalPolicy): TaskDecision {
  return {
    kind: "create",
    reason,
    dueAt: defaultTaskDueDate(host.boundNotAfter, now, policy.dueDaysBeforeExpiry),
    priority: defaultTaskPriority(reason, host.boundNotAfter, now),
  };
}

/**
 * A done task whose host needs renewing again. It is the same work (reopen) when the host went back to
 * the certificate the task replaced, or when the certificate that closed it broke for a reason other
 * than age; it is new work (create) when that certificate simply nears its own expiry, or when the host
 * is on a certificate the task never saw.
 */
function afterDone(
  latest: LatestTask,
  reason: Finding,
  host: HostRenewalState,
  now: Date,
  policy: RenewalPolicy,
): TaskDecision {
  const bound = host.boundSha256;
  const rolledBack = bound !== null && bound === latest.certificateSha256;
  const resolvedBroke =
    bound !== null && bound === latest.resolvedCertificateSha256 && reason.ruleId !== "validity";
  return rolledBack || resolvedBroke ? { kind: "reopen", reason } : create(reason, host, now, policy);
}

export function decideRenewalTask(
  latest: LatestTask | null,
  host: HostRenewalState,
  now: Date,
  policy: RenewalPolicy = DEFAULT_RENEWAL_POLICY,
): TaskDecision {
  if (latest !== null && isOpenTaskStatus(latest.status)) {
    // Never a second open task: the open one either closes now or stays as it is.
    const { boundSha256 } = host;
    if (boundSha256 !== null && renewalVerified(latest.certificateSha256, host)) {
      return { kind: "close", resolvedCertificateSha256: boundSha256 };
    }
    return NONE;
  }
  const reason = renewalReason(host.findings);
  if (reason === null) return NONE;
  if (latest === null) return create(reason, host, now, policy);
  if (latest.status === "done") return afterDone(latest, reason, host, now, policy);
  // Cancelled: a lead decided against work on that certificate; a different certificate is new work.
  return host.boundSha256 !== latest.certificateSha256 ? create(reason, host, now, policy) : NONE;
}
