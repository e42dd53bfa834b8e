"use client";

import type { ComplianceReport } from "@certfleet/contracts";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { Field } from "@/components/ui/form-bits";
import { formatDateTime } from "@/lib/format";

/** Picks two reports and opens their comparison (older → newer by default). */
export function CompareForm({ reports }: { reports: ComplianceReport[] }) {
  const id = useId();
  const router = useRouter();
  const [from, setFrom] = useState(String(reports[1]?.id ?? ""));
  const [to, setTo] = useState(String(reports[0]?.id ?? ""));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    router.push(`/reports/compare?from=${from}&to=${to}`);
  };
  const option = (report: ComplianceReport) => (
    <option key={report.id} value={report.id}>
      {report.title} — {formatDateTime(report.takenAt)}
    </option>
  );

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Compare two reports</h3>
      <form className="form-row" onSubmit={submit}>
        <Field id={`${id}-from`} label="From report">
          <select
            id={`${id}-from`}
            className="input"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
          >
            {reports.map(option)}
          </select>
        </Field>
        <Field id={`${id}-to`} label="To report">
          <select
            id={`${id}-to`}
            className="input"
            value={to}
            onChange={(event) => setTo(event.target.value)}
          >
            {reports.map(option)}
          </select>
        </Field>
        <div className="form-submit">
          <button type="submit" className="button" disabled={from === to}>
            Compare
          </button>
        </div>
      </form>
    </section>
  );
}
