"use client";

import type { User, UserRole, UserUpdate } from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { MutationError } from "@/components/ui/form-bits";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useNow } from "@/lib/hooks";
import { userKeys } from "@/lib/query-keys";
import { ROLES_LADDER, USER_ROLE_LABEL } from "@/lib/roles";
import { useSend } from "@/lib/session";
import { MIN_PASSWORD } from "./user-create-form";

/** One user: role, enable/disable and password reset, each saved as soon as it is chosen. */
export function UserRow({ user, isSelf }: { user: User; isSelf: boolean }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const now = useNow();
  const [resetting, setResetting] = useState(false);
  const [saved, setSaved] = useState("");

  const update = useMutation({
    mutationFn: (body: UserUpdate) => send<User>(`/api/v1/users/${user.id}`, "PATCH", body),
    onSuccess: (_user, body) => {
      setSaved(body.password ? "Password changed." : "Saved.");
      if (body.password) setResetting(false);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });

  return (
    <>
      <tr data-user-id={user.id} data-user-email={user.email}>
        <th scope="row" className="break-anywhere">
          {user.email}
          {isSelf ? <span className="muted small"> (you)</span> : null}
        </th>
        <td>{user.name}</td>
        <td>
          <label htmlFor={`${id}-role`} className="visually-hidden">
            Role for {user.email}
          </label>
          <select
            id={`${id}-role`}
            className="input input-inline"
            value={user.role}
            disabled={update.isPending}
            onChange={(event) => update.mutate({ role: event.target.value as UserRole })}
          >
            {ROLES_LADDER.map((role) => (
              <option key={role} value={role}>
                {USER_ROLE_LABEL[role]}
              </option>
            ))}
          </select>
        </td>
        <td>
          <span className={user.disabled ? "tag tag-error" : "tag tag-ok"}>
            {user.disabled ? "Disabled" : "Active"}
          </span>
          {user.oidc ? <span className="tag">SSO</span> : null}
        </td>
        <td className="nowrap">
          {user.lastSignInAt ? (
            <time dateTime={user.lastSignInAt} title={formatDateTime(user.lastSignInAt)}>
              {formatRelative(user.lastSignInAt, now)}
            </time>
          ) : (
            <span className="muted">Never</span>
          )}
        </td>
        <td>
          <div className="button-row">
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={update.isPending}
              onClick={() => update.mutate({ disabled: !user.disabled })}
            >
              {user.disabled ? "Enable" : "Disable"}
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              aria-expanded={resetting}
              onClick={() => setResetting((open) => !open)}
            >
              Reset password
            </button>
          </div>
          <span role="status" className="muted small">
            {saved}
          </span>
        </td>
      </tr>
      {resetting || update.isError ? (
        <tr className="row-detail">
          <td colSpan={6}>
            {resetting ? (
              <PasswordReset
                email={user.email}
                pending={update.isPending}
                onSubmit={(password) => update.mutate({ password })}
                onCancel={() => setResetting(false)}
              />
            ) : null}
            {update.isError ? <MutationError error={update.error} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function PasswordReset({
  email,
  pending,
  onSubmit,
  onCancel,
}: {
  email: string;
  pending: boolean;
  onSubmit: (password: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [password, setPassword] = useState("");
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (password.length >= MIN_PASSWORD) onSubmit(password);
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={`${id}-password`}>New password for {email}</label>
      <input
        id={`${id}-password`}
        className="input input-inline"
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD}
        required
        value={password}
        aria-invalid={tooShort ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setPassword(event.target.value)}
      />
      <span id={`${id}-hint`} className={tooShort ? "field-error" : "muted small"}>
        At least {MIN_PASSWORD} characters
      </span>
      <button
        type="submit"
        className="button button-small"
        disabled={pending || password.length < MIN_PASSWORD}
      >
        Save password
      </button>
      <button type="button" className="button button-ghost button-small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
