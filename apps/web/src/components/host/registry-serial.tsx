"use client";

import type { CertificateSummary, HostDetail } from "@certfleet/contracts";
import { useState } from "react";
import { StatusIcon } from "@/components/ui/status-badge";

/** Hex split into bytes for display; the text content stays the exact string (copy, search, tests). */
function HexBytes({ hex, testId }: { hex: string; testId: string }) {
  const clean = /^[0-9a-fA-F]*$/.test(hex) && hex.length % 2 === 0;
  return (
    <code className="hex" data-testid={testId}>
      {clean
        ? (hex.match(/../g) ?? []).map((byte, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a byte's position is its identity
            <span key={index} className="hex-byte">
              {byte}
            </span>
          ))
        : hex}
    </code>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button-ghost button-small"
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
      aria-label={`Copy ${label}`}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

const strip = (hex: string) => hex.replace(/^(00)+(?=.)/, "").toUpperCase();

/**
 * The registry's ChannelCertificateSerialNumber in both byte orders. MOMCertImport writes the
 * serial byte-reversed; people compare it with the certificate's serial and think it is wrong.
 */
export function RegistrySerial({
  registry,
  bound,
}: {
  registry: HostDetail["registry"];
  bound: CertificateSummary | null;
}) {
  const { serialAsStored, serialAsCertificate, hash } = registry;
  const matches =
    serialAsCertificate !== null &&
    bound !== null &&
    strip(serialAsCertificate) === strip(bound.serialNumber);
  return (
    <section className="card" aria-labelledby="registry-heading" data-testid="registry-serial">
      <div className="card-header">
        <h3 id="registry-heading">Registry serial</h3>
        <code className="muted small">ChannelCertificateSerialNumber</code>
      </div>
      {serialAsStored === null ? (
        <p className="all-clear tone-text-error">
          <StatusIcon tone="error" />
          No serial in the registry: MOMCertImport has not been run on this host, so SCOM has no channel
          certificate.
        </p>
      ) : (
        <dl className="serial-pair">
          <div className="serial-row">
            <dt>As stored in the registry</dt>
            <dd>
              <HexBytes hex={serialAsStored} testId="serial-stored" />
              <CopyButton text={serialAsStored} label="registry value" />
            </dd>
          </div>
          <div className="serial-row">
            <dt>
              As the certificate's serial{" "}
              <span className="serial-flip">
                <span aria-hidden="true">⇅ </span>the same bytes, reversed
              </span>
            </dt>
            <dd>
              {serialAsCertificate ? (
                <>
                  <HexBytes hex={serialAsCertificate} testId="serial-certificate" />
                  <CopyButton text={serialAsCertificate} label="certificate serial" />
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </dd>
          </div>
        </dl>
      )}
      <p className="muted small">
        MOMCertImport stores the serial byte-reversed (“mirrored”): read the registry value backwards, byte by
        byte, to get the serial printed on the certificate.
        {serialAsStored !== null && bound
          ? matches
            ? " It names the bound certificate."
            : " It does not name the certificate shown as bound; see the findings."
          : ""}
      </p>
      {hash ? (
        <p className="small">
          <span className="muted">ChannelCertificateHash (thumbprint): </span>
          <code className="break-anywhere">{hash}</code>
        </p>
      ) : null}
    </section>
  );
}
