"use client";

import type { CertificateDetail } from "@certfleet/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, isNotFound, QueryError, SkeletonCard } from "@/components/ui/query-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { certificateQuery } from "@/lib/estate";
import {
  daysLeftTone,
  EXPIRY_LABEL,
  formatDate,
  formatDateTime,
  formatDaysLeft,
  ROLE_LABEL,
} from "@/lib/format";
import { KeyUsage } from "./key-usage";

type Certificate = CertificateDetail["certificate"];

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
/** Names for the EKUs people meet on channel certificates; others show as OIDs. */
const EKU_NAMES: Record<string, string> = {
  [SERVER_AUTH]: "Server Authentication",
  [CLIENT_AUTH]: "Client Authentication",
  "1.3.6.1.5.5.7.3.3": "Code Signing",
  "1.3.6.1.5.5.7.3.4": "Secure Email",
  "1.3.6.1.4.1.311.20.2.2": "Smart Card Logon",
};

/** `/certificates/[sha256]`: the parsed certificate, who holds it, and downloads of its public part. */
export function CertificateView({ sha256 }: { sha256: string }) {
  const { data, error, isPending, isError, refetch, isFetching } = useQuery(certificateQuery(sha256));
  const back = (
    <Link href="/hosts" className="back-link">
      ← All hosts
    </Link>
  );

  if (isPending)
    return (
      <div className="stack" aria-busy="true">
        <PageHeader title="Certificate" eyebrow={back} />
        <div className="grid-detail">
          <SkeletonCard label="Loading certificate" lines={10} />
          <SkeletonCard label="Loading hosts" lines={4} />
        </div>
      </div>
    );
  if (isError)
    return (
      <div className="stack">
        <PageHeader title="Certificate" eyebrow={back} />
        {isNotFound(error) ? (
          <EmptyState title="No such certificate">
            No host has reported a certificate with SHA-256 <code className="break-anywhere">{sha256}</code>.
          </EmptyState>
        ) : (
          <QueryError error={error} what="this certificate" onRetry={() => refetch()} retrying={isFetching} />
        )}
      </div>
    );

  const { certificate, hosts, downloads } = data;
  const title =
    certificate.subjectCommonName ??
    (certificate.subject || certificate.dnsNames[0] || certificate.thumbprint);
  return (
    <div className="stack" data-testid="certificate-detail">
      <PageHeader
        eyebrow={back}
        title={<span className="break-anywhere">{title}</span>}
        actions={
          <div className="button-row">
            <a className="button button-secondary" href={downloads.pem} download data-testid="download-pem">
              Download PEM
            </a>
            <a className="button button-secondary" href={downloads.der} download data-testid="download-der">
              Download DER (.cer)
            </a>
          </div>
        }
      >
        <span className={`days-left tone-text-${daysLeftTone(certificate.daysLeft)}`}>
          {EXPIRY_LABEL[certificate.expiry]} · {formatDaysLeft(certificate.daysLeft)}
        </span>{" "}
        · issued by {certificate.issuer}
      </PageHeader>
      <div className="grid-detail">
        <Fields certificate={certificate} />
        <div className="stack">
          <Usage certificate={certificate} />
          <Holders hosts={hosts} />
        </div>
      </div>
    </div>
  );
}

function Fields({ certificate: c }: { certificate: Certificate }) {
  const template =
    (c.templateName ?? c.templateOid)
      ? `${c.templateName ?? c.templateOid}${c.templateMajorVersion !== null ? ` v${c.templateMajorVersion}.${c.templateMinorVersion ?? 0}` : ""}`
      : null;
  return (
    <section className="card" aria-labelledby="fields-heading">
      <h3 id="fields-heading">Fields</h3>
      <dl className="kv" data-testid="certificate-fields">
        <dt>Subject</dt>
        <dd className="break-anywhere">{c.subject || <span className="muted">(empty)</span>}</dd>
        <dt>DNS names (SAN)</dt>
        <dd className="break-anywhere">
          {c.dnsNames.length > 0 ? (
            <ol className="inline-list">
              {c.dnsNames.map((name, index) => (
                <li key={name}>
                  {name}
                  {index === 0 ? <span className="muted small"> (the name SCOM reads)</span> : null}
                </li>
              ))}
            </ol>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>Issuer</dt>
        <dd className="break-anywhere">{c.issuer}</dd>
        <dt>Serial number</dt>
        <dd>
          <code className="break-anywhere" data-testid="certificate-serial">
            {c.serialNumber}
          </code>
        </dd>
        <dt>Valid from</dt>
        <dd>{formatDateTime(c.notBefore)}</dd>
        <dt>Valid to</dt>
        <dd>
          {formatDateTime(c.notAfter)}{" "}
          <span className={`days-left tone-text-${daysLeftTone(c.daysLeft)}`}>
            {formatDaysLeft(c.daysLeft)}
          </span>
        </dd>
        <dt>Public key</dt>
        <dd>
          {c.publicKeyAlgorithm}
          {c.publicKeySize ? ` ${c.publicKeySize} bits` : ""}
        </dd>
        <dt>Signature</dt>
        <dd>
          {c.signatureAlgorithm}
          {c.signatureHash ? ` (${c.signatureHash})` : ""}
        </dd>
        <dt>Template</dt>
        <dd className="break-anywhere">
          {template ?? <span className="muted">none (SCOM will not alert before expiry)</span>}
        </dd>
        <dt>CA certificate</dt>
        <dd>{c.isCa ? "Yes" : "No"}</dd>
        <dt>Thumbprint (SHA-1)</dt>
        <dd>
          <code className="break-anywhere">{c.thumbprint}</code>
        </dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="break-anywhere">{c.sha256}</code>
        </dd>
      </dl>
    </section>
  );
}

function Usage({ certificate: c }: { certificate: Certificate }) {
  const ekus = c.extendedKeyUsages;
  const missing = ekus
    ? [SERVER_AUTH, CLIENT_AUTH].filter((oid) => !ekus.includes(oid))
    : [SERVER_AUTH, CLIENT_AUTH];
  return (
    <section className="card" aria-labelledby="usage-heading" data-testid="certificate-usage">
      <h3 id="usage-heading">Key usage</h3>
      <div>
        <h4 className="subheading">Enhanced key usage</h4>
        {ekus && ekus.length > 0 ? (
          <ul className="tag-list">
            {ekus.map((oid) => (
              <li key={oid} className={`tag${oid === SERVER_AUTH || oid === CLIENT_AUTH ? " tag-ok" : ""}`}>
                {EKU_NAMES[oid] ?? oid}
                {EKU_NAMES[oid] ? <span className="tag-oid"> {oid}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No EKU extension.</p>
        )}
        {missing.length > 0 ? (
          <p className="tone-text-error small">
            SCOM needs Server and Client Authentication; missing:{" "}
            {missing.map((oid) => EKU_NAMES[oid]).join(", ")}.
          </p>
        ) : null}
      </div>
      <KeyUsage value={c.keyUsage} />
    </section>
  );
}

function Holders({ hosts }: { hosts: CertificateDetail["hosts"] }) {
  return (
    <section className="card" aria-labelledby="holders-heading" data-testid="certificate-hosts">
      <div className="card-header">
        <h3 id="holders-heading">Hosts holding it</h3>
        <span className="muted small">{hosts.length}</span>
      </div>
      {hosts.length === 0 ? (
        <p className="muted">No host reports this certificate any more.</p>
      ) : (
        <ul className="holder-list">
          {hosts.map((host) => (
            <li key={host.fqdn} className="holder">
              <StatusBadge status={host.status} />
              <span className="holder-text">
                <Link href={`/hosts/${encodeURIComponent(host.fqdn)}`} className="break-anywhere">
                  {host.fqdn}
                </Link>
                <span className="muted small">
                  {ROLE_LABEL[host.role]} · {host.bound ? "bound to the channel" : "in the store, not bound"}{" "}
                  · last seen {formatDate(host.lastSeenAt)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
