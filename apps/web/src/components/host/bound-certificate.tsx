import type { CertificateSummary } from "@certfleet/contracts";
import Link from "next/link";
import { daysLeftTone, formatDate, formatDaysLeft } from "@/lib/format";

export const certificateHref = (sha256: string) => `/certificates/${sha256}`;

/** The certificate SCOM uses on this host: the store certificate the registry serial names. */
export function BoundCertificate({ certificate }: { certificate: CertificateSummary | null }) {
  return (
    <section className="card" aria-labelledby="bound-heading" data-testid="bound-certificate">
      <div className="card-header">
        <h3 id="bound-heading">Channel certificate</h3>
        {certificate ? (
          <Link href={certificateHref(certificate.sha256)} className="small">
            Certificate details
          </Link>
        ) : null}
      </div>
      {certificate ? (
        <dl className="kv">
          <dt>Subject</dt>
          <dd className="break-anywhere">{certificate.subject || <span className="muted">(empty)</span>}</dd>
          {certificate.dnsNames.length > 0 ? (
            <>
              <dt>DNS names</dt>
              <dd className="break-anywhere">{certificate.dnsNames.join(", ")}</dd>
            </>
          ) : null}
          <dt>Issuer</dt>
          <dd className="break-anywhere">{certificate.issuer}</dd>
          <dt>Expires</dt>
          <dd>
            {formatDate(certificate.notAfter)}{" "}
            <span className={`days-left tone-text-${daysLeftTone(certificate.daysLeft)}`}>
              {formatDaysLeft(certificate.daysLeft)}
            </span>
          </dd>
          <dt>Key</dt>
          <dd>
            {certificate.publicKeyAlgorithm}
            {certificate.publicKeySize ? ` ${certificate.publicKeySize} bits` : ""} ·{" "}
            {certificate.signatureAlgorithm}
          </dd>
          <dt>Template</dt>
          <dd>
            {certificate.templateName ?? certificate.templateOid ?? (
              <span className="muted">none: SCOM will not alert before it expires</span>
            )}
          </dd>
          <dt>Thumbprint</dt>
          <dd>
            <code className="break-anywhere">{certificate.thumbprint}</code>
          </dd>
        </dl>
      ) : (
        <p className="all-clear tone-text-error">
          No certificate is bound: the registry names no certificate in the store, so the channel has none.
        </p>
      )}
    </section>
  );
}
