"use client";

import type { RuleCatalog } from "@certfleet/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { QueryError, SkeletonCard } from "@/components/ui/query-state";
import { SeverityBadge } from "@/components/ui/status-badge";
import { rulesQuery } from "@/lib/estate";
import { formatCount } from "@/lib/format";
import { hostsHref } from "@/lib/host-query";

type Rule = RuleCatalog["rules"][number];

/** `/rules`: what certfleet checks, why SCOM needs it, how to fix it, and who fails it now. */
export function RulesView() {
  const { data, error, isPending, isError, refetch, isFetching } = useQuery(rulesQuery());
  const header = (
    <PageHeader title="Rules">
      Every SCOM channel-certificate requirement certfleet checks on each report. The severity shown is the
      default; a finding's message says what exactly failed on that host.
    </PageHeader>
  );
  if (isPending)
    return (
      <div className="stack" aria-busy="true">
        {header}
        <div className="rule-grid">
          {Array.from({ length: 6 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
            <SkeletonCard key={i} label="Loading rule" lines={4} />
          ))}
        </div>
      </div>
    );
  if (isError)
    return (
      <div className="stack">
        {header}
        <QueryError error={error} what="the rule catalogue" onRetry={() => refetch()} retrying={isFetching} />
      </div>
    );

  return (
    <div className="stack">
      {header}
      <nav aria-label="Rules on this page" className="rule-index">
        <ul>
          {data.rules.map((rule) => (
            <li key={rule.id}>
              <a href={`#${rule.id}`}>{rule.id}</a>
            </li>
          ))}
        </ul>
      </nav>
      <ol className="rule-grid" data-testid="rules">
        {data.rules.map((rule) => (
          <RuleCard key={rule.id} rule={rule} />
        ))}
      </ol>
    </div>
  );
}

function RuleCard({ rule }: { rule: Rule }) {
  const headingId = `rule-${rule.id}-title`;
  return (
    <li id={rule.id} className="card rule-card" aria-labelledby={headingId} data-rule={rule.id} tabIndex={-1}>
      <div className="card-header">
        <h3 id={headingId}>{rule.title}</h3>
        <SeverityBadge severity={rule.defaultSeverity} />
      </div>
      <code className="rule-id">{rule.id}</code>
      <dl className="rule-body">
        <dt>Why SCOM needs it</dt>
        <dd>{rule.scomNeeds}</dd>
        <dt>Remediation</dt>
        <dd>{rule.remediation}</dd>
        {rule.seedReference ? (
          <>
            <dt>Reference</dt>
            <dd className="muted">{rule.seedReference}</dd>
          </>
        ) : null}
      </dl>
      <div className="rule-footer">
        {rule.hosts.count > 0 ? (
          <Link href={hostsHref(rule.hosts.query)} className="rule-hosts" data-testid="rule-hosts">
            <strong>{formatCount(rule.hosts.count)}</strong> {rule.hosts.count === 1 ? "host" : "hosts"}{" "}
            flagged →
          </Link>
        ) : (
          <span className="muted rule-hosts" data-testid="rule-hosts">
            No host flagged
          </span>
        )}
      </div>
    </li>
  );
}
