"use client";

import type { HostDetail } from "@certfleet/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, isNotFound, QueryError, SkeletonCard } from "@/components/ui/query-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { hostDetailQuery } from "@/lib/estate";
import { formatDateTime, formatRelative, REPORTING_LABEL, ROLE_LABEL } from "@/lib/format";
import { useNow } from "@/lib/hooks";
import { hostsHref } from "@/lib/host-query";
import { BoundCertificate } from "./bound-certificate";
import { CertificateAuthPanel } from "./certificate-auth";
import { EventsPanel, ReportsPanel } from "./events";
import { Findings } from "./findings";
import { RegistrySerial } from "./registry-serial";
import { RenewalTask } from "./renewal-task";
import { SerialHistory } from "./serial-history";
import { StoreCertificates } from "./store-certificates";

/** `/hosts/[fqdn]`: why this host's channel certificate is (or is not) fine, and what to do. */
export function HostDetailView({ fqdn }: { fqdn: string }) {
  const { data, error, isPending, isError, refetch, isFetching } = useQuery(hostDetailQuery(fqdn));

  const back = (
    <Link href="/hosts" className="back-link">
      ← All hosts
    </Link>
  );

  if (isPending)
    return (
      <div className="stack" aria-busy="true">
        <PageHeader title={fqdn} eyebrow={back} />
        <SkeletonCard label="Loading host" lines={3} />
        <div className="grid-2">
          <SkeletonCard label="Loading findings" lines={5} />
          <SkeletonCard label="Loading certificate" lines={5} />
        </div>
      </div>
    );
  if (isError)
    return (
      <div className="stack">
        <PageHeader title={fqdn} eyebrow={back} />
        {isNotFound(error) ? (
          <EmptyState
            title="No such host"
            action={
              <Link className="button button-secondary" href={hostsHref({ q: fqdn })}>
                Search for “{fqdn}”
              </Link>
            }
          >
            certfleet has no host called <code>{fqdn}</code>. It appears after its collector's first report.
          </EmptyState>
        ) : (
          <QueryError error={error} what="this host" onRetry={() => refetch()} retrying={isFetching} />
        )}
      </div>
    );

  return (
    <div className="stack" data-testid="host-detail" data-host={data.host.fqdn}>
      <PageHeader
        eyebrow={back}
        title={
          <span className="title-with-badge">
            <span className="break-anywhere">{data.host.fqdn}</span>
            <StatusBadge status={data.host.status} size="lg" />
          </span>
        }
      >
        {ROLE_LABEL[data.host.role]}
        {data.host.managementGroup ? ` in ${data.host.managementGroup}` : ""}
      </PageHeader>
      <HostFacts host={data.host} />
      <RenewalTask fqdn={data.host.fqdn} />
      <div className="grid-detail">
        <Findings findings={data.findings} status={data.host.status} />
        <div className="stack">
          <BoundCertificate certificate={data.boundCertificate} />
          <RegistrySerial registry={data.registry} bound={data.boundCertificate} />
          <CertificateAuthPanel detail={data} />
        </div>
      </div>
      <StoreCertificates certificates={data.storeCertificates} />
      <SerialHistory history={data.serialHistory} />
      <div className="grid-2">
        <EventsPanel events={data.events} />
        <ReportsPanel reports={data.reports} />
      </div>
    </div>
  );
}

function HostFacts({ host }: { host: HostDetail["host"] }) {
  const now = useNow();
  return (
    <dl className="facts card facts-card">
      <div className="fact">
        <dt>Role</dt>
        <dd>{ROLE_LABEL[host.role]}</dd>
      </div>
      <div className="fact">
        <dt>Management group</dt>
        <dd>{host.managementGroup ?? "—"}</dd>
      </div>
      {host.role === "Agent" ? (
        <div className="fact">
          <dt>Primary server</dt>
          <dd>
            {host.primaryServer ? (
              <Link href={`/hosts/${encodeURIComponent(host.primaryServer)}`}>{host.primaryServer}</Link>
            ) : (
              "—"
            )}
          </dd>
        </div>
      ) : null}
      <div className="fact">
        <dt>Domain joined</dt>
        <dd>{host.domainJoined ? "Yes" : "No (workgroup)"}</dd>
      </div>
      <div className="fact">
        <dt>Reporting</dt>
        <dd>
          <span className={`tag${host.reporting === "silent" ? " tag-warning" : ""}`}>
            {REPORTING_LABEL[host.reporting]}
          </span>
        </dd>
      </div>
      <div className="fact">
        <dt>Last report</dt>
        <dd>
          <time dateTime={host.lastReportAt ?? undefined} title={formatDateTime(host.lastReportAt)}>
            {host.lastReportAt
              ? `${formatDateTime(host.lastReportAt)} (${formatRelative(host.lastReportAt, now)})`
              : "Never"}
          </time>
        </dd>
      </div>
    </dl>
  );
}
