"use client";

import type { ReportSchedule, ReportScheduleCreate } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useMemo, useState } from "react";
import { DataTable } from "@/components/ui/data-table";
import { describedBy, Field, MutationError } from "@/components/ui/form-bits";
import { EmptyState, QueryStates } from "@/components/ui/query-state";
import { reportSchedulesQuery } from "@/lib/compliance-api";
import { browserTimeZone, describeCron, timeZoneOptions } from "@/lib/compliance-cron";
import { fieldErrors } from "@/lib/field-errors";
import { formatDateTime } from "@/lib/format";
import { complianceKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

/** Recurring reports (leads and admins): cron in a chosen time zone, run by the job queue. */
export function SchedulesSection() {
  const id = useId();
  const query = useQuery(reportSchedulesQuery());
  return (
    <section className="card stack" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Schedules</h3>
      <ScheduleForm />
      <QueryStates query={query} what="the report schedules" lines={3}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="No schedules">
              Add one to take a report every week, e.g. Mondays at 07:00.
            </EmptyState>
          ) : (
            <DataTable
              columns={[
                "Name",
                "When",
                "Time zone",
                "Last run",
                "Enabled",
                { label: "Actions", hidden: true },
              ]}
            >
              {data.items.map((schedule) => (
                <ScheduleRow key={schedule.id} schedule={schedule} />
              ))}
            </DataTable>
          )
        }
      </QueryStates>
    </section>
  );
}

function ScheduleForm() {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const defaultZone = useMemo(browserTimeZone, []);
  const zones = useMemo(() => timeZoneOptions(defaultZone), [defaultZone]);
  const [form, setForm] = useState({ name: "", cron: "0 7 * * 1", timezone: defaultZone });
  const create = useMutation({
    mutationFn: (body: ReportScheduleCreate) =>
      send<ReportSchedule>("/api/v1/report-schedules", "POST", body),
    onSuccess: () => {
      setForm((current) => ({ ...current, name: "" }));
      void queryClient.invalidateQueries({ queryKey: complianceKeys.schedules() });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: form.name.trim(), cron: form.cron.trim(), timezone: form.timezone });
  };
  const { byField, other } = fieldErrors(create.error, ["name", "cron", "timezone"]);
  const hint = describeCron(form.cron) ?? "minute hour day-of-month month day-of-week";

  return (
    <form className="form-row" onSubmit={submit}>
      <Field id={`${id}-name`} label="Schedule name" error={byField.name}>
        <input
          id={`${id}-name`}
          className="input"
          required
          maxLength={120}
          placeholder="e.g. Weekly audit"
          value={form.name}
          aria-describedby={describedBy(`${id}-name`, byField.name)}
          onChange={(event) => setForm({ ...form, name: event.target.value })}
        />
      </Field>
      <Field id={`${id}-cron`} label="Cron" error={byField.cron} hint={hint}>
        <input
          id={`${id}-cron`}
          className="input"
          required
          spellCheck={false}
          value={form.cron}
          aria-invalid={byField.cron ? true : undefined}
          aria-describedby={describedBy(`${id}-cron`, byField.cron, true)}
          onChange={(event) => setForm({ ...form, cron: event.target.value })}
        />
      </Field>
      <Field id={`${id}-zone`} label="Time zone" error={byField.timezone}>
        <select
          id={`${id}-zone`}
          className="input"
          value={form.timezone}
          aria-describedby={describedBy(`${id}-zone`, byField.timezone)}
          onChange={(event) => setForm({ ...form, timezone: event.target.value })}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-submit">
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add schedule"}
        </button>
      </div>
      {create.isError ? <MutationError error={create.error} extra={other} /> : null}
    </form>
  );
}

function ScheduleRow({ schedule }: { schedule: ReportSchedule }) {
  const send = useSend();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: complianceKeys.schedules() });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) =>
      send<ReportSchedule>(`/api/v1/report-schedules/${schedule.id}`, "PATCH", { enabled }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => send<null>(`/api/v1/report-schedules/${schedule.id}`, "DELETE"),
    onSettled: refresh,
  });

  return (
    <tr data-schedule-id={schedule.id}>
      <th scope="row">{schedule.name}</th>
      <td>
        <code>{schedule.cron}</code>
        <div className="muted small">{describeCron(schedule.cron) ?? ""}</div>
      </td>
      <td>{schedule.timezone}</td>
      <td className="nowrap">
        {schedule.lastRunAt ? formatDateTime(schedule.lastRunAt) : <span className="muted">Never</span>}
      </td>
      <td>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={schedule.enabled}
            disabled={toggle.isPending}
            onChange={(event) => toggle.mutate(event.target.checked)}
          />
          <span className="visually-hidden">Enabled: {schedule.name}</span>
          <span aria-hidden="true">{schedule.enabled ? "On" : "Off"}</span>
        </label>
      </td>
      <td>
        <button
          type="button"
          className="button button-danger button-small"
          disabled={remove.isPending}
          onClick={() => remove.mutate()}
          aria-label={`Delete schedule ${schedule.name}`}
        >
          Delete
        </button>
        {toggle.isError ? <MutationError error={toggle.error} /> : null}
        {remove.isError ? <MutationError error={remove.error} /> : null}
      </td>
    </tr>
  );
}
