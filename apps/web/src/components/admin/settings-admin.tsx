"use client";

import type { Settings, SettingsUpdate } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { CertReqSettingsCard } from "@/components/admin/certreq-settings-form";
import { describedBy, Field, MutationError, SaveStatus, SubmitButton } from "@/components/ui/form-bits";
import { PageHeader } from "@/components/ui/page-header";
import { QueryStates } from "@/components/ui/query-state";
import { settingsQuery } from "@/lib/admin-api";
import { fieldErrors } from "@/lib/field-errors";
import { auditKeys, settingsKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";
import { ManagementGroupsAdmin } from "./management-groups-admin";

/** `/admin/settings`: what admins tune at runtime. Every change lands in the audit log. */
export function SettingsAdmin() {
  const query = useQuery(settingsQuery());
  return (
    <div className="stack">
      <PageHeader title="Settings">
        Changes apply at once on every API instance and are recorded in the audit log. Other settings are
        environment variables (see the README).
      </PageHeader>
      <QueryStates query={query} what="the settings" lines={3}>
        {(data) => <RenewalSettingsForm settings={data} />}
      </QueryStates>
      <CertReqSettingsCard />
      <ManagementGroupsAdmin />
    </div>
  );
}

function RenewalSettingsForm({ settings }: { settings: Settings }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [days, setDays] = useState(String(settings.renewalDueDaysBeforeExpiry));
  const save = useMutation({
    mutationFn: (body: SettingsUpdate) => send<Settings>("/api/v1/settings", "PATCH", body),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKeys.all, saved);
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({ renewalDueDaysBeforeExpiry: Number(days) });
  };
  const { byField, other } = fieldErrors(save.error, ["renewalDueDaysBeforeExpiry"]);
  const error = byField.renewalDueDaysBeforeExpiry;
  const inputId = `${id}-due-days`;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Renewal tasks</h3>
      <form className="form-row" onSubmit={submit}>
        <Field
          id={inputId}
          label="Due days before expiry"
          error={error}
          hint={`A new task is due this many days before its certificate expires (never sooner than 2 days). Certificates turn warning ${settings.expiryWarningDays} days before expiry.`}
        >
          <input
            id={inputId}
            className="input"
            type="number"
            required
            min={1}
            max={90}
            value={days}
            aria-describedby={describedBy(inputId, error, true)}
            onChange={(event) => setDays(event.target.value)}
          />
        </Field>
        <div className="form-submit">
          <SubmitButton pending={save.isPending} label="Save settings" />
        </div>
      </form>
      {save.isError ? <MutationError error={save.error} extra={other} /> : null}
      <SaveStatus
        saved={save.isSuccess}
        updatedAt={settings.updatedAt}
        never="Never changed: the default applies."
      />
    </section>
  );
}
