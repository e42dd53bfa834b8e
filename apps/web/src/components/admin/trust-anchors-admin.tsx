"use client";

import type { TrustAnchor } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useId, useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { DataTable } from "@/components/ui/data-table";
import { describedBy, Field, MutationError } from "@/components/ui/form-bits";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryStates } from "@/components/ui/query-state";
import { trustAnchorsQuery } from "@/lib/admin-api";
import { fieldErrors } from "@/lib/field-errors";
import { formatDateTime } from "@/lib/format";
import { trustAnchorKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

/** `/admin/trust-anchors`: the root and issuing CA certificates the server checks every chain against. */
export function TrustAnchorsAdmin() {
  const query = useQuery(trustAnchorsQuery());
  return (
    <div className="stack">
      <PageHeader title="Trust anchors">
        With no trust anchors, a host's own chain status decides the chain rule. Once you add your root (or
        issuing) CA certificates, certfleet verifies every bound certificate's chain itself — signatures,
        validity and a path to one of these — and a certificate that does not chain to one is a chain error,
        whatever the host says. A renewal task closes only when the new certificate passes this check.
      </PageHeader>
      <TrustAnchorUpload />
      <QueryStates query={query} what="the trust anchors" lines={4}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="No trust anchors">
              The chain rule uses each host&apos;s own chain status until you add one.
            </EmptyState>
          ) : (
            <section className="card table-card" aria-label="Trust anchors">
              <DataTable
                columns={[
                  "Subject",
                  "Kind",
                  "Thumbprint",
                  "Valid until",
                  "Added",
                  { label: "Actions", hidden: true },
                ]}
              >
                {data.items.map((anchor) => (
                  <TrustAnchorRow key={anchor.id} anchor={anchor} />
                ))}
              </DataTable>
            </section>
          )
        }
      </QueryStates>
    </div>
  );
}

/** Paste a PEM or base64 DER, or pick a .cer/.crt/.pem file: the API refuses keys and non-CA certificates. */
function TrustAnchorUpload() {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const add = useMutation({
    mutationFn: (certificate: string) => send<TrustAnchor>("/api/v1/trust-anchors", "POST", { certificate }),
    onSuccess: () => {
      setText("");
      void queryClient.invalidateQueries({ queryKey: trustAnchorKeys.all });
    },
  });
  const { byField, other } = fieldErrors(add.error, ["certificate"]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    add.mutate(text.trim());
  };
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const asText = new TextDecoder().decode(bytes);
    // A .cer is often binary DER: send it base64-encoded; PEM files go as they are.
    setText(asText.includes("-----BEGIN") ? asText : btoa(String.fromCharCode(...bytes)));
    event.target.value = "";
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add a CA certificate</h3>
      <form className="stack" onSubmit={submit}>
        <Field
          id={`${id}-certificate`}
          label="Certificate (PEM or base64 DER)"
          hint="Public certificate only: private keys are refused and never stored."
          error={byField.certificate}
        >
          <textarea
            id={`${id}-certificate`}
            className="input"
            rows={6}
            required
            spellCheck={false}
            placeholder="-----BEGIN CERTIFICATE-----"
            value={text}
            aria-describedby={describedBy(`${id}-certificate`, byField.certificate, true)}
            onChange={(event) => setText(event.target.value)}
          />
        </Field>
        <div className="form-row">
          <label className="button button-secondary button-small" htmlFor={`${id}-file`}>
            Choose a file…
          </label>
          <input
            id={`${id}-file`}
            type="file"
            className="visually-hidden"
            accept=".cer,.crt,.pem,.der"
            onChange={(event) => void pick(event)}
          />
          <button type="submit" className="button" disabled={add.isPending || text.trim() === ""}>
            {add.isPending ? "Adding…" : "Add trust anchor"}
          </button>
        </div>
      </form>
      {add.isError ? <MutationError error={add.error} extra={other} /> : null}
    </section>
  );
}

function TrustAnchorRow({ anchor }: { anchor: TrustAnchor }) {
  const send = useSend();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => send<null>(`/api/v1/trust-anchors/${anchor.id}`, "DELETE"),
    onSettled: () => queryClient.invalidateQueries({ queryKey: trustAnchorKeys.all }),
  });
  return (
    <tr data-trust-anchor-id={anchor.id}>
      <th scope="row" className="break-anywhere">
        {anchor.subject}
        {anchor.selfSigned ? null : <div className="muted small">issued by {anchor.issuer}</div>}
      </th>
      <td>{anchor.selfSigned ? "Root" : "Issuing CA"}</td>
      <td>
        <code className="break-anywhere">{anchor.thumbprint}</code>
      </td>
      <td className="nowrap">{formatDateTime(anchor.notAfter)}</td>
      <td>
        <span className="nowrap">{formatDateTime(anchor.createdAt)}</span>
        <div className="muted small">{anchor.createdBy ?? "certfleet"}</div>
      </td>
      <td>
        <ConfirmButton
          label="Remove"
          confirmLabel="Confirm remove"
          warning="Certificates that chain only to it become chain errors."
          pending={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
        {remove.isError ? <MutationError error={remove.error} /> : null}
      </td>
    </tr>
  );
}
