import type { Finding, HostStatus } from "@certfleet/contracts";
import Link from "next/link";
import { StatusIcon } from "@/components/ui/status-badge";
import { SEVERITY_LABEL, sentence } from "@/lib/format";
import { SEVERITIES } from "@/lib/host-query";

const GROUP_TITLE = {
  error: "SCOM will not use this certificate, or soon will not",
  warning: "Act before the channel breaks",
  info: "Worth knowing; does not change the status",
} as const;

/** The host's findings, worst first, each with the concrete failing values and the fix. */
export function Findings({ findings, status }: { findings: Finding[]; status: HostStatus | null }) {
  return (
    <section className="card" aria-labelledby="findings-heading" data-testid="findings">
      <div className="card-header">
        <h3 id="findings-heading">Findings</h3>
        <span className="muted small">
          {findings.length === 0
            ? "none"
            : `${findings.length} ${findings.length === 1 ? "finding" : "findings"}`}
        </span>
      </div>
      {findings.length === 0 ? (
        <p className="all-clear">
          <StatusIcon tone={status === null ? "neutral" : "ok"} />
          {status === null
            ? "Not evaluated yet: no report from this host."
            : "No findings. SCOM can use this certificate as it is."}
        </p>
      ) : (
        SEVERITIES.map((severity) => {
          const group = findings.filter((finding) => finding.severity === severity);
          if (group.length === 0) return null;
          return (
            <div
              key={severity}
              className={`finding-group finding-group-${severity}`}
              data-severity={severity}
            >
              <h4 className={`finding-group-title tone-text-${severity}`}>
                <StatusIcon tone={severity} />
                {SEVERITY_LABEL[severity]} ({group.length})
                <span className="muted small finding-group-hint">{GROUP_TITLE[severity]}</span>
              </h4>
              <ul className="finding-list">
                {group.map((finding) => (
                  <li
                    key={`${finding.ruleId}:${finding.message}`}
                    className={`finding finding-${severity}`}
                    data-rule={finding.ruleId}
                  >
                    <p className="finding-message-full">{sentence(finding.message)}</p>
                    <p className="finding-remediation">
                      <span className="finding-fix-label">Fix</span>
                      {finding.remediation}
                    </p>
                    <Link href={`/rules#${finding.ruleId}`} className="small rule-link">
                      Rule <code>{finding.ruleId}</code>
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          );
        })
      )}
    </section>
  );
}
