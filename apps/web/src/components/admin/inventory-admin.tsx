"use client";

import type { InventorySource } from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useId, useState } from "react";
import { MutationError } from "@/components/ui/form-bits";
import { PageHeader } from "@/components/ui/page-header";
import { ApiError } from "@/lib/api";
import { formatCount } from "@/lib/format";
import {
  afterInventoryImport,
  describeOutcomeError,
  type InventoryOutcome,
  inventoryErrorsBySource,
  inventorySourceProblems,
  postInventory,
} from "@/lib/inventory-api";
import { useSend } from "@/lib/session";

/**
 * `/admin/inventory`: SCOM exports in, coverage out. "Preview" asks the API what an import would
 * change (dryRun, nothing written); "Import" writes it. An import is a snapshot per management group
 * it names, so the preview shows which hosts it would retire before anyone commits to that.
 */
export function InventoryAdmin() {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [sources, setSources] = useState<InventorySource[]>([]);
  const [preview, setPreview] = useState<InventoryOutcome | null>(null);

  const run = useMutation({
    mutationFn: (dryRun: boolean) => postInventory(send, sources, dryRun),
    onSuccess: (outcome) => {
      if (outcome.dryRun) setPreview(outcome);
      else {
        setPreview(null);
        void afterInventoryImport(queryClient);
      }
    },
  });
  const problems = inventorySourceProblems(sources);
  const errorsBySource = inventoryErrorsBySource(run.error, sources);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    const read = await Promise.all(files.map(async (file) => ({ name: file.name, csv: await file.text() })));
    setSources(read);
    // A preview belongs to the files it was made from.
    setPreview(null);
    run.reset();
  };

  const imported = run.data && !run.data.dryRun ? run.data : null;
  return (
    <div className="stack">
      <PageHeader title="Inventory">
        Import what SCOM says should exist: <code>Get-SCOMAgent</code>, <code>Get-SCOMManagementServer</code>{" "}
        and <code>Get-SCOMGatewayManagementServer</code> piped to <code>Export-Csv</code>, or a CSV with the
        header <code>fqdn,role,managementGroup</code>. Listed hosts that never report show on the overview.
        Each import replaces the list of every management group it names: hosts of such a group that it no
        longer lists are retired (kept with their history, out of counts and lists).
      </PageHeader>
      <section className="card" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>Files</h3>
        <div className="form-row">
          <label className="button button-secondary button-small" htmlFor={`${id}-files`}>
            Choose CSV files…
          </label>
          <input
            id={`${id}-files`}
            type="file"
            className="visually-hidden"
            accept=".csv,text/csv"
            multiple
            onChange={(event) => void pick(event)}
          />
          <button
            type="button"
            className="button button-secondary"
            disabled={problems.length > 0 || run.isPending}
            onClick={() => run.mutate(true)}
          >
            {run.isPending && run.variables ? "Previewing…" : "Preview"}
          </button>
          <button
            type="button"
            className="button"
            disabled={preview === null || problems.length > 0 || run.isPending}
            title={preview === null ? "Preview first: it shows what the import changes" : undefined}
            onClick={() => run.mutate(false)}
          >
            {run.isPending && run.variables === false ? "Importing…" : "Import"}
          </button>
        </div>
        {sources.length > 0 ? (
          <ul className="muted small" data-testid="inventory-files">
            {sources.map((source) => (
              <li key={source.name}>{source.name}</li>
            ))}
          </ul>
        ) : null}
        {sources.length > 0 && problems.length > 0 ? (
          <ul className="form-error" role="alert">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        ) : null}
        {run.isError ? <ImportErrors error={run.error} bySource={errorsBySource} /> : null}
      </section>
      {preview ? <Outcome outcome={preview} title="Preview: nothing written yet" /> : null}
      {imported ? <Outcome outcome={imported} title="Imported" /> : null}
    </div>
  );
}

function ImportErrors({
  error,
  bySource,
}: {
  error: unknown;
  bySource: ReturnType<typeof inventoryErrorsBySource>;
}) {
  if (bySource.length === 0) return <MutationError error={error} />;
  return (
    <div className="form-error" role="alert" data-testid="inventory-errors">
      <strong>{error instanceof ApiError ? error.title : "The files were refused"}</strong> Nothing was
      imported.
      {bySource.map((group) => (
        <div key={group.source ?? ""}>
          <p>{group.source ?? "The request"}</p>
          <ul className="state-fields">
            {group.messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

const TOTALS = [
  ["added", "Added"],
  ["updated", "Updated"],
  ["unchanged", "Unchanged"],
  ["retired", "Retired"],
  ["restored", "Restored"],
] as const;

function Outcome({ outcome, title }: { outcome: InventoryOutcome; title: string }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="inventory-outcome">
      <h3 id={`${id}-title`}>{title}</h3>
      <ul className="coverage-totals">
        {TOTALS.map(([key, label]) => (
          <li key={key} data-key={key}>
            <span className="muted small">{label}</span> <strong>{formatCount(outcome[key])}</strong>
          </li>
        ))}
      </ul>
      <table className="data-table">
        <caption className="muted small">By management group</caption>
        <thead>
          <tr>
            <th scope="col">Management group</th>
            <th scope="col">Listed</th>
            <th scope="col">Added</th>
            <th scope="col">Retired</th>
          </tr>
        </thead>
        <tbody>
          {outcome.byManagementGroup.map((group) => (
            <tr key={group.managementGroup} data-group={group.managementGroup}>
              <th scope="row">{group.managementGroup}</th>
              <td>{formatCount(group.total)}</td>
              <td>{formatCount(group.added)}</td>
              <td>{formatCount(group.retired)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {outcome.errors.length > 0 ? (
        <ul className="form-error">
          {outcome.errors.map((entry, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the API's list, shown once, never reordered
            <li key={index}>{describeOutcomeError(entry)}</li>
          ))}
        </ul>
      ) : null}
      {outcome.retiredHosts.length > 0 ? (
        <>
          <h4>
            {outcome.dryRun ? "Would retire" : "Retired"}
            {outcome.retired > outcome.retiredHosts.length
              ? ` (first ${outcome.retiredHosts.length} of ${formatCount(outcome.retired)})`
              : ""}
          </h4>
          <ul className="small" data-testid="inventory-retired">
            {outcome.retiredHosts.map((fqdn) => (
              <li key={fqdn}>
                <code>{fqdn}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
