"use client";

import type {
  NotificationChannelCreate,
  NotificationChannelCreated,
  NotificationChannelKind,
} from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { describedBy, Field, MutationError } from "@/components/ui/form-bits";
import { fieldErrors } from "@/lib/field-errors";
import { auditKeys, notificationKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

const EMPTY = {
  name: "",
  kind: "email" as NotificationChannelKind,
  target: "",
  digest: false,
  notifyNewErrors: false,
};

/** Adds a channel; a webhook's signing secret is shown here once. */
export function ChannelForm({ smtpConfigured }: { smtpConfigured: boolean }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const set = (patch: Partial<typeof EMPTY>) => setForm((current) => ({ ...current, ...patch }));
  const create = useMutation({
    mutationFn: (body: NotificationChannelCreate) =>
      send<NotificationChannelCreated>("/api/v1/notification-channels", "POST", body),
    onSuccess: () => {
      setForm(EMPTY);
      void queryClient.invalidateQueries({ queryKey: notificationKeys.channels() });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ ...form, name: form.name.trim(), target: form.target.trim() });
  };
  const { byField, other } = fieldErrors(create.error, ["name", "kind", "target"]);
  const targetHint =
    form.kind === "email"
      ? smtpConfigured
        ? "Comma-separated e-mail addresses"
        : "E-mail needs CERTFLEET_SMTP_URL and CERTFLEET_SMTP_FROM on the API"
      : "An https URL (http only to hosts the operator allowed); certfleet POSTs signed JSON to it";

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add a channel</h3>
      <form className="stack-form" onSubmit={submit}>
        <div className="form-row">
          <Field id={`${id}-name`} label="Channel name" error={byField.name}>
            <input
              id={`${id}-name`}
              className="input"
              required
              maxLength={120}
              placeholder="e.g. PKI team"
              value={form.name}
              aria-invalid={byField.name ? true : undefined}
              aria-describedby={describedBy(`${id}-name`, byField.name)}
              onChange={(event) => set({ name: event.target.value })}
            />
          </Field>
          <Field id={`${id}-kind`} label="Kind" error={byField.kind}>
            <select
              id={`${id}-kind`}
              className="input"
              value={form.kind}
              aria-describedby={describedBy(`${id}-kind`, byField.kind)}
              onChange={(event) => set({ kind: event.target.value as NotificationChannelKind })}
            >
              <option value="email">E-mail</option>
              <option value="webhook">Webhook</option>
            </select>
          </Field>
          <Field id={`${id}-target`} label="Recipients or URL" error={byField.target} hint={targetHint}>
            <input
              id={`${id}-target`}
              className="input notifications-target"
              required
              maxLength={2000}
              type={form.kind === "webhook" ? "url" : "text"}
              placeholder={
                form.kind === "webhook" ? "https://hooks.example.com/certfleet" : "pki@contoso.com"
              }
              value={form.target}
              aria-invalid={byField.target ? true : undefined}
              aria-describedby={describedBy(`${id}-target`, byField.target, true)}
              onChange={(event) => set({ target: event.target.value })}
            />
          </Field>
        </div>
        <div className="inline-form">
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={form.digest}
              onChange={(event) => set({ digest: event.target.checked })}
            />
            Daily digest
          </label>
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={form.notifyNewErrors}
              onChange={(event) => set({ notifyNewErrors: event.target.checked })}
            />
            Notify new errors
          </label>
          <button type="submit" className="button" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add channel"}
          </button>
        </div>
      </form>
      {create.isError ? <MutationError error={create.error} extra={other} /> : null}
      {create.data?.secret ? (
        <div className="secret-box" role="status" data-testid="new-webhook-secret">
          <p>
            <strong>Signing secret for {create.data.name}.</strong> Copy it into the receiver now: it will not
            be shown again.
          </p>
          <div className="secret-value">
            <code className="break-anywhere" data-testid="new-webhook-secret-value">
              {create.data.secret}
            </code>
            <CopyButton text={create.data.secret} />
          </div>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => create.reset()}
          >
            Done
          </button>
        </div>
      ) : null}
    </section>
  );
}
