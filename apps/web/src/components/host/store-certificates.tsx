import type { HostDetail } from "@certfleet/contracts";
import Link from "next/link";
import { daysLeftTone, formatDate, formatDaysLeft } from "@/lib/format";
import { certificateHref } from "./bound-certificate";

type StoreCertificate = HostDetail["storeCertificates"][number];
type Facts = NonNullable<StoreCertificate["facts"]>;

const KEY_SPEC: Record<number, string> = { 0: "0 (none)", 1: "1 AT_KEYEXCHANGE", 2: "2 AT_SIGNATURE" };

/** A yes/no fact with its meaning for SCOM: `good` is the value SCOM needs. */
function YesNo({ value, good }: { value: boolean | null | undefined; good: boolean }) {
  if (value === null || value === undefined) return <span className="muted">not reported</span>;
  return <span className={value === good ? "tone-text-ok" : "tone-text-error"}>{value ? "Yes" : "No"}</span>;
}

function Provider({ facts }: { facts: Facts }) {
  const type = facts.keyProviderType;
  return (
    <span className="stack-tight">
      <span>{facts.keyProvider ?? <span className="muted">not reported</span>}</span>
      {type ? (
        <span className={`tag ${type === "CSP" ? "tag-ok" : "tag-error"}`}>
          {type === "CSP" ? "CSP (legacy, supported)" : "KSP (not supported)"}
        </span>
      ) : null}
    </span>
  );
}

/**
 * Every certificate the collector found in the host's stores, with what the host said about its
 * key: SCOM needs a private key in the machine key set, a legacy CSP and KeySpec 1.
 */
export function StoreCertificates({ certificates }: { certificates: StoreCertificate[] }) {
  return (
    <section className="card" aria-labelledby="store-heading" data-testid="store-certificates">
      <div className="card-header">
        <h3 id="store-heading">Certificates in the store</h3>
        <span className="muted small">as the host reported them</span>
      </div>
      {certificates.length === 0 ? (
        <p className="muted">The host reported no candidate certificates.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section className="table-scroll" tabIndex={0} aria-labelledby="store-heading">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Certificate</th>
                <th scope="col">Expires</th>
                <th scope="col">Private key</th>
                <th scope="col">Key provider</th>
                <th scope="col">KeySpec</th>
                <th scope="col">Exportable</th>
                <th scope="col">Store</th>
                <th scope="col">Chain</th>
              </tr>
            </thead>
            <tbody>
              {certificates.map(({ certificate, bound, facts }) => (
                <tr key={certificate.sha256} data-bound={bound} data-testid="store-certificate">
                  <th scope="row" className="cert-cell">
                    <Link href={certificateHref(certificate.sha256)} className="break-anywhere">
                      {certificate.subject || certificate.dnsNames[0] || certificate.thumbprint}
                    </Link>
                    <span className="muted small">
                      serial <code>{certificate.serialNumber}</code>
                    </span>
                    {bound ? <span className="tag tag-accent">Bound to the channel</span> : null}
                  </th>
                  <td>
                    <span className="expiry-cell">
                      <span>{formatDate(certificate.notAfter)}</span>
                      <span className={`days-left tone-text-${daysLeftTone(certificate.daysLeft)}`}>
                        {formatDaysLeft(certificate.daysLeft)}
                      </span>
                    </span>
                  </td>
                  {facts ? (
                    <>
                      <td>
                        <YesNo value={facts.hasPrivateKey} good={true} />
                        {facts.machineKeySet === false ? (
                          <span className="tone-text-error small"> user key set</span>
                        ) : null}
                      </td>
                      <td>
                        <Provider facts={facts} />
                      </td>
                      <td>
                        {facts.keySpec === null || facts.keySpec === undefined ? (
                          <span className="muted">not reported</span>
                        ) : (
                          <span className={facts.keySpec === 1 ? "tone-text-ok" : "tone-text-error"}>
                            {KEY_SPEC[facts.keySpec] ?? String(facts.keySpec)}
                          </span>
                        )}
                      </td>
                      <td>
                        {facts.keyExportable === null || facts.keyExportable === undefined ? (
                          <span className="muted">not reported</span>
                        ) : facts.keyExportable ? (
                          "Yes"
                        ) : (
                          "No"
                        )}
                      </td>
                      <td className="nowrap">{facts.store ?? <span className="muted">not reported</span>}</td>
                      <td>
                        <YesNo value={facts.hostChainValid} good={true} />
                        {facts.hostChainStatus && facts.hostChainStatus.length > 0 ? (
                          <span className="muted small"> {facts.hostChainStatus.join(", ")}</span>
                        ) : null}
                      </td>
                    </>
                  ) : (
                    <td colSpan={6} className="muted">
                      Not in the host's latest report (seen before).
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
