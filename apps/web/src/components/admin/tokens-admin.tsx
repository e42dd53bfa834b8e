"use client";

import type {
  CollectorToken,
  CollectorTokenCreate,
  CollectorTokenCreated,
  CollectorTokenUpdate,
  TokenScopeName,
} from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable } from "@/components/ui/data-table";
import { Field, MutationError, SubmitButton } from "@/components/ui/form-bits";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryStates } from "@/components/ui/query-state";
import { tokensQuery } from "@/lib/admin-api";
import { fieldErrors } from "@/lib/field-errors";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useNow } from "@/lib/hooks";
import { tokenKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";
import { describeScope, isFleetWide, scopeFromText } from "@/lib/token-scope";
import { describeScopes, TokenPermissionFields } from "./token-permission-fields";
import { TokenScopeFields } from "./token-scope-fields";

const SCOPE_FIELDS = ["name", "scope.managementGroups", "scope.fqdnSuffixes", "scopes"] as const;

/** The scope fields' errors under the names TokenScopeFields shows them by. */
function scopeErrors(byField: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  const groups = byField["scope.managementGroups"];
  const suffixes = byField["scope.fqdnSuffixes"];
  if (groups) errors.managementGroups = groups;
  if (suffixes) errors.fqdnSuffixes = suffixes;
  return errors;
}

/** `/admin/tokens`: the bearer tokens collectors report with. A secret is shown once, at creation. */
export function TokensAdmin() {
  const query = useQuery(tokensQuery());
  return (
    <div className="stack">
      <PageHeader title="Collector tokens">
        Each collector sends its reports with a token. A token can be limited to management groups and host
        name suffixes (a report outside them is refused); without limits it is fleet-wide. What it may do is
        its scopes: post reports (collectors), import the inventory, read hosts and exports (the certfleet
        CLI). Revoke a token when its collector is retired or the token may have leaked.
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
                  "Scope",
                  "May",
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
  const [groups, setGroups] = useState("");
  const [suffixes, setSuffixes] = useState("");
  const [scopes, setScopes] = useState<TokenScopeName[]>(["reports"]);
  const create = useMutation({
    mutationFn: (body: CollectorTokenCreate) => send<CollectorTokenCreated>("/api/v1/tokens", "POST", body),
    onSuccess: () => {
      setName("");
      setGroups("");
      setSuffixes("");
      setScopes(["reports"]);
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), scope: scopeFromText(groups, suffixes), scopes });
  };
  const { byField, other } = fieldErrors(create.error, SCOPE_FIELDS);

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
        <TokenScopeFields
          id={id}
          groups={groups}
          suffixes={suffixes}
          onGroups={setGroups}
          onSuffixes={setSuffixes}
          errors={scopeErrors(byField)}
        />
        <TokenPermissionFields id={id} scopes={scopes} onScopes={setScopes} error={byField.scopes} />
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
  const [editing, setEditing] = useState(false);
  const revoke = useMutation({
    mutationFn: () => send<CollectorToken>(`/api/v1/tokens/${token.id}/revoke`, "POST"),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });

  return (
    <tr data-token-id={token.id}>
      <th scope="row">{token.name}</th>
      <td>{token.hint ? <code>{token.hint}…</code> : <span className="muted">—</span>}</td>
      <td data-token-scope={isFleetWide(token.scope) ? "fleet" : "scoped"}>
        {editing ? (
          <TokenScopeEditor token={token} onDone={() => setEditing(false)} />
        ) : (
          <>
            <span className={isFleetWide(token.scope) ? "muted" : undefined}>
              {describeScope(token.scope)}
            </span>{" "}
            {token.revokedAt ? null : (
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() => setEditing(true)}
              >
                Edit scope<span className="visually-hidden"> of {token.name}</span>
              </button>
            )}
          </>
        )}
      </td>
      <td data-token-scopes={token.scopes.join(",")}>{describeScopes(token.scopes)}</td>
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

/** Sets a token's scope in place (PATCH, audited by the API with before and after). */
function TokenScopeEditor({ token, onDone }: { token: CollectorToken; onDone: () => void }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [groups, setGroups] = useState(token.scope.managementGroups.join(", "));
  const [suffixes, setSuffixes] = useState(token.scope.fqdnSuffixes.join(", "));
  const [scopes, setScopes] = useState<TokenScopeName[]>(token.scopes);
  const update = useMutation({
    mutationFn: (body: CollectorTokenUpdate) =>
      send<CollectorToken>(`/api/v1/tokens/${token.id}`, "PATCH", body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
      onDone();
    },
  });
  const { byField, other } = fieldErrors(update.error, SCOPE_FIELDS);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate({ scope: scopeFromText(groups, suffixes), scopes });
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`Scope of ${token.name}`}>
      <TokenScopeFields
        id={id}
        groups={groups}
        suffixes={suffixes}
        onGroups={setGroups}
        onSuffixes={setSuffixes}
        errors={scopeErrors(byField)}
      />
      <TokenPermissionFields id={id} scopes={scopes} onScopes={setScopes} error={byField.scopes} />
      <div className="form-row">
        <SubmitButton pending={update.isPending} label="Save scope" small />
        <button type="button" className="button button-secondary button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {update.isError ? <MutationError error={update.error} extra={other} /> : null}
    </form>
  );
}
