"use client";

import { type FormEvent, useId, useState } from "react";
import { type AuditFilters, EMPTY_AUDIT_FILTERS } from "@/lib/audit-query";

const TEXT_FIELDS = [
  { key: "action", label: "Action", placeholder: "task. or auth.login" },
  { key: "actor", label: "Actor e-mail", placeholder: "someone@example.com" },
  { key: "entityType", label: "Entity type", placeholder: "task, user, token…" },
] as const;

/** The audit filter: edited locally, written to the URL on "Apply". */
export function AuditFilterForm({
  filters,
  onApply,
}: {
  filters: AuditFilters;
  onApply: (next: AuditFilters) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(filters);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <section className="card filters" aria-label="Filters">
      <form className="filter-row" onSubmit={submit}>
        {TEXT_FIELDS.map((field) => (
          <div className="field" key={field.key}>
            <label htmlFor={`${id}-${field.key}`}>{field.label}</label>
            <input
              id={`${id}-${field.key}`}
              className="input"
              type={field.key === "actor" ? "email" : "text"}
              placeholder={field.placeholder}
              value={draft[field.key]}
              onChange={(event) => setDraft({ ...draft, [field.key]: event.target.value })}
            />
          </div>
        ))}
        <div className="field field-date">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            className="input"
            type="date"
            value={draft.from}
            onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          />
        </div>
        <div className="field field-date">
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            className="input"
            type="date"
            value={draft.to}
            onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          />
        </div>
        <div className="button-row form-submit">
          <button type="submit" className="button">
            Apply
          </button>
          <button type="button" className="button button-ghost" onClick={() => onApply(EMPTY_AUDIT_FILTERS)}>
            Clear
          </button>
        </div>
      </form>
    </section>
  );
}
