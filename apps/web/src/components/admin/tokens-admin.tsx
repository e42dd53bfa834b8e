"use client";

import type { CollectorToken, CollectorTokenCreated } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable } from "@/components/ui/data-table";
import { Field, MutationError } from "@/components/ui/form-bits";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryStates } from "@/components/ui/query-state";
import { tokensQuery } from "@/lib/admin-api";
import { fieldErrors } from "@/lib/field-errors";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useNow } from "@/lib/hooks";
import { tokenKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

/** `/admin/tokens`: the bearer tokens collectors report with. A secret is shown once, at creation. */
export function TokensAdmin() {
  const query = useQuery(tokensQuery());
  return (
    <div className="stack">
      <PageHeader title="Collector tokens">
        Each collector sends its reports with a token. Revoke a token when its collector is retired or the
        token may have leaked.
      </PageHeader>
      <TokenCreateForm />
      <QueryStates query={query} what="the collector tokens" lines={5}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="No collector tokens yet">
              Create one for each place a collector runs.
            </EmptyState>
          ) : (
            <section className="card table-card" aria-label="Collector tokens">
              <DataTable
                columns={[
                  "Name",
                  "Hint",
                  "Created",
                  "Created by",
                  "Last used",
                  "Status",
                  { label: "Actions", hidden: true },
                ]}
              >
                {data.items.map((token) => (
                  <TokenRow key={token.id} token={token} />
                ))}
              </DataTable>
            </section>
          )
        }
      </QueryStates>
    </div>
  );
}

function TokenCreateForm() {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: (body: { name: string }) => send<CollectorTokenCreated>("/api/v1/tokens", "POST", body),
    onSuccess: () => {
      setName("");
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: name.trim() });
  };
  const { byField, other } = fieldErrors(create.error, ["name"]);

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>New token</h3>
      <form className="form-row" onSubmit={submit}>
        <Field id={`${id}-name`} label="Collector name" error={byField.name}>
          <input
            id={`${id}-name`}
            className="input"
            required
            maxLength={120}
            placeholder="e.g. Gateway DMZ-2"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        <div className="form-submit">
          <button type="submit" className="button" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
      {create.isError ? <MutationError error={create.error} extra={other} /> : null}
      {create.data ? <NewTokenSecret token={create.data} onDone={() => create.reset()} /> : null}
    </section>
  );
}

/** The only time the secret exists outside the collector's configuration. */
function NewTokenSecret({ token, onDone }: { token: CollectorTokenCreated; onDone: () => void }) {
  return (
    <div className="secret-box" role="status" data-testid="new-token">
      <p>
        <strong>Token for {token.name}.</strong> Copy it now: it will not be shown again.
      </p>
      <div className="secret-value">
        <code className="break-anywhere" data-testid="new-token-value">
          {token.token}
        </code>
        <CopyButton text={token.token} />
      </div>
      <button type="button" className="button button-secondary button-small" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function TokenRow({ token }: { token: CollectorToken }) {
  const send = useSend();
  const queryClient = useQueryClient();
  const now = useNow();
  const revoke = useMutation({
    mutationFn: () => send<CollectorToken>(`/api/v1/tokens/${token.id}/revoke`, "POST"),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });

  return (
    <tr data-token-id={token.id}>
      <th scope="row">{token.name}</th>
      <td>{token.hint ? <code>{token.hint}…</code> : <span className="muted">—</span>}</td>
      <td className="nowrap">{formatDateTime(token.createdAt)}</td>
      <td>{token.createdBy ?? <span className="muted">certfleet</span>}</td>
      <td className="nowrap">
        {token.lastUsedAt ? (
          <time dateTime={token.lastUsedAt} title={formatDateTime(token.lastUsedAt)}>
            {formatRelative(token.lastUsedAt, now)}
          </time>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td>
        <span
          className={token.revokedAt ? "tag tag-error" : "tag tag-ok"}
          data-token-status={token.revokedAt ? "revoked" : "active"}
        >
          {token.revokedAt ? "Revoked" : "Active"}
        </span>
      </td>
      <td>
        {token.revokedAt ? null : (
          <ConfirmButton
            label="Revoke"
            confirmLabel="Confirm revoke"
            warning="Collectors using it stop reporting."
            pending={revoke.isPending}
            onConfirm={() => revoke.mutate()}
          />
        )}
        {revoke.isError ? <MutationError error={revoke.error} /> : null}
      </td>
    </tr>
  );
}
