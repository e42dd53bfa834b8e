import type { Summary } from "@certfleet/contracts";
import Link from "next/link";
import { formatCount, percent } from "@/lib/format";
import { hostsHref } from "@/lib/host-query";

/** Which SCOM requirements fail most often, most hosts first (errors and warnings only). */
export function FailingRules({ rules, total }: { rules: Summary["topFailingRules"]; total: number }) {
  const widest = Math.max(1, ...rules.map((rule) => rule.count));
  return (
    <section className="card" aria-labelledby="failing-heading" data-testid="failing-rules">
      <div className="card-header">
        <h3 id="failing-heading">Most frequent failing rules</h3>
        <Link href="/rules" className="small">
          All rules
        </Link>
      </div>
      {rules.length === 0 ? (
        <p className="muted">No host fails a rule with an error or a warning. Nothing to fix right now.</p>
      ) : (
        <ol className="rule-bars">
          {rules.map((rule) => (
            <li key={rule.key ?? rule.title} className="rule-bar">
              <span className="rule-bar-text">
                <span className="rule-bar-title">{rule.title}</span>
                <code className="rule-id">{rule.key}</code>
              </span>
              <span className="meter-track" aria-hidden="true">
                <span
                  className="meter-fill tone-error"
                  style={{ width: `${(rule.count / widest) * 100}%` }}
                />
              </span>
              <Link
                href={hostsHref(rule.query)}
                className="meter-count"
                data-key={rule.key ?? ""}
                aria-label={`${rule.title}: ${formatCount(rule.count)} hosts`}
              >
                {formatCount(rule.count)}
              </Link>
              <span className="rule-bar-share muted small">
                {total > 0 ? percent(rule.count, total) : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
