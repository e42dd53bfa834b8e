"use client";

import { useSearchParams } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { MIN_PASSWORD } from "@/components/admin/user-create-form";
import { describedBy, Field, MutationError } from "@/components/ui/form-bits";
import { useChangePassword } from "@/lib/account-api";
import { safeNext } from "@/lib/auth-redirect";
import { fieldErrors } from "@/lib/field-errors";
import { useSession } from "@/lib/session";

const FIELDS = ["currentPassword", "newPassword"] as const;

/**
 * `/account/password`: the signed-in user picks a new password. The first admin (created from
 * CERTFLEET_ADMIN_PASSWORD) is sent here and can do nothing else until it is done; afterwards they
 * go on to where they were headed. Everyone's other sessions are signed out by the change.
 */
export function PasswordChangeForm() {
  const id = useId();
  const next = safeNext(useSearchParams()?.get("next"));
  const session = useSession();
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const required = session.data?.passwordChangeRequired === true;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(false);
    if (newPassword !== confirmation) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword("");
          setNewPassword("");
          setConfirmation("");
          setDone(true);
          // Everything refused before the change loads afresh (a full navigation drops the cache).
          if (required) window.location.assign(next);
        },
      },
    );
  };

  const { byField, other } = fieldErrors(change.error, FIELDS);
  const confirmError = mismatch ? "does not match the new password" : undefined;
  return (
    <section className="card login-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="page-title">
        Change your password
      </h2>
      {required ? (
        <p className="form-error" role="alert" data-testid="password-change-required">
          <strong>Choose a new password to continue.</strong> Your account was created with a password from
          the server's configuration; replace it before using certfleet.
        </p>
      ) : (
        <p className="muted small">Changing it signs you out in every other browser.</p>
      )}
      <form className="stack-form" onSubmit={submit} noValidate>
        <PasswordField
          id={`${id}-current`}
          label="Current password"
          name="current-password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={byField.currentPassword}
        />
        <PasswordField
          id={`${id}-new`}
          label="New password"
          name="new-password"
          autoComplete="new-password"
          value={newPassword}
          onChange={setNewPassword}
          error={byField.newPassword}
          hint={`At least ${MIN_PASSWORD} characters, different from the current one`}
          minLength={MIN_PASSWORD}
        />
        <PasswordField
          id={`${id}-confirm`}
          label="New password again"
          name="confirm-password"
          autoComplete="new-password"
          value={confirmation}
          onChange={setConfirmation}
          error={confirmError}
        />
        {/* A field's own error already says it under the input: the summary is for the rest. */}
        {change.isError && (Object.keys(byField).length === 0 || other.length > 0) ? (
          <MutationError error={change.error} extra={other} />
        ) : null}
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? "Changing…" : "Change password"}
        </button>
      </form>
      <p role="status" className="muted small">
        {done && !required ? "Password changed. Your other sessions were signed out." : ""}
      </p>
    </section>
  );
}

/** One labelled password input with its error and optional hint wired for screen readers. */
function PasswordField(props: {
  id: string;
  label: string;
  name: string;
  autoComplete: "current-password" | "new-password";
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  hint?: string;
  minLength?: number;
}) {
  const { id, label, name, autoComplete, value, onChange, error, hint, minLength } = props;
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        className="input"
        type="password"
        name={name}
        autoComplete={autoComplete}
        minLength={minLength}
        required
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint !== undefined)}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  );
}
