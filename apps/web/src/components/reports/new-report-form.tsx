"use client";

import type { ComplianceReport } from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Field, MutationError } from "@/components/ui/form-bits";
import { fieldErrors } from "@/lib/field-errors";
import { complianceKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

/** Takes a whole-estate report now. A large estate takes a few seconds: the button says so. */
export function NewReportForm() {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const take = useMutation({
    mutationFn: (body: { title: string }) =>
      send<ComplianceReport>("/api/v1/compliance-reports", "POST", body),
    onSuccess: () => {
      setTitle("");
      void queryClient.invalidateQueries({ queryKey: complianceKeys.reports() });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    take.mutate({ title: title.trim() });
  };
  const { byField, other } = fieldErrors(take.error, ["title"]);

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>New report</h3>
      <form className="form-row" onSubmit={submit} aria-busy={take.isPending}>
        <Field id={`${id}-title`} label="Report title" error={byField.title}>
          <input
            id={`${id}-title`}
            className="input"
            required
            maxLength={200}
            placeholder="e.g. Q2 certificate audit"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
          />
        </Field>
        <div className="form-submit">
          <button type="submit" className="button" disabled={take.isPending}>
            {take.isPending ? "Taking report…" : "Take report"}
          </button>
        </div>
      </form>
      <p role="status" className="muted small" data-testid="take-report-status">
        {take.isPending
          ? "Reading every host and hashing the report…"
          : take.data
            ? `Report “${take.data.title}” taken: ${take.data.hostCount} hosts.`
            : ""}
      </p>
      {take.isError ? <MutationError error={take.error} extra={other} /> : null}
    </section>
  );
}
