"use client";

import type { NotificationSettings, NotificationSettingsUpdate } from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { describedBy, Field, MutationError, SubmitButton } from "@/components/ui/form-bits";
import { fieldErrors } from "@/lib/field-errors";
import { formatDateTime } from "@/lib/format";
import { auditKeys, notificationKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

/** "30, 14, 7, 1" → numbers. A typo becomes NaN (sent as null), which the API refuses naming `thresholds`. */
function parseDays(text: string): number[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map(Number);
}

export function ThresholdsForm({ settings }: { settings: NotificationSettings }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [text, setText] = useState(settings.thresholds.join(", "));
  const save = useMutation({
    mutationFn: (body: NotificationSettingsUpdate) =>
      send<NotificationSettings>("/api/v1/notification-settings", "PUT", body),
    onSuccess: (saved) => {
      queryClient.setQueryData(notificationKeys.thresholds(), saved);
      setText(saved.thresholds.join(", "));
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({ thresholds: parseDays(text) });
  };
  const { byField, other } = fieldErrors(save.error, ["thresholds"]);
  const inputId = `${id}-thresholds`;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Expiry warnings</h3>
      <form className="form-row" onSubmit={submit}>
        <Field
          id={inputId}
          label="Thresholds (days)"
          error={byField.thresholds}
          hint="Comma-separated, up to 8, from 1 to 365. A certificate is announced once at each threshold it crosses."
        >
          <input
            id={inputId}
            className="input"
            required
            inputMode="numeric"
            value={text}
            aria-invalid={byField.thresholds ? true : undefined}
            aria-describedby={describedBy(inputId, byField.thresholds, true)}
            onChange={(event) => setText(event.target.value)}
          />
        </Field>
        <div className="form-submit">
          <SubmitButton pending={save.isPending} label="Save thresholds" />
        </div>
      </form>
      {save.isError && !byField.thresholds ? <MutationError error={save.error} extra={other} /> : null}
      <p className="muted small" role="status">
        {save.isSuccess ? "Saved. " : ""}
        {settings.updatedAt
          ? `Last changed ${formatDateTime(settings.updatedAt)}.`
          : "Never changed: the defaults apply."}{" "}
        {settings.smtpConfigured
          ? `E-mail is sent from ${settings.smtpFrom}.`
          : "E-mail is not configured (CERTFLEET_SMTP_URL, CERTFLEET_SMTP_FROM): only webhooks can be added."}
      </p>
    </section>
  );
}
