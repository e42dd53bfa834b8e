"use client";

import type { User, UserCreate, UserRole } from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { describedBy, Field, MutationError } from "@/components/ui/form-bits";
import { fieldErrors } from "@/lib/field-errors";
import { userKeys } from "@/lib/query-keys";
import { ROLES_LADDER, USER_ROLE_LABEL } from "@/lib/roles";
import { useSend } from "@/lib/session";

const FIELDS = ["email", "name", "role", "password"] as const;
export const MIN_PASSWORD = 12;

const EMPTY: UserCreate = { email: "", name: "", role: "operator", password: "" };

/** New account with a password; the API's field errors appear under each input. */
export function UserCreateForm() {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<UserCreate>(EMPTY);
  const [created, setCreated] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: (body: UserCreate) => send<User>("/api/v1/users", "POST", body),
    onSuccess: (user) => {
      setCreated(user.email);
      setForm(EMPTY);
      void queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setCreated(null);
    create.mutate({ ...form, email: form.email.trim(), name: form.name.trim() });
  };

  const { byField, other } = fieldErrors(create.error, FIELDS);
  const set = (patch: Partial<UserCreate>) => setForm((current) => ({ ...current, ...patch }));
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add a user</h3>
      <form className="form-row" onSubmit={submit} noValidate>
        <Field id={`${id}-email`} label="E-mail" error={byField.email}>
          <input
            id={`${id}-email`}
            className="input"
            type="email"
            autoComplete="off"
            value={form.email}
            aria-invalid={byField.email ? true : undefined}
            aria-describedby={describedBy(`${id}-email`, byField.email)}
            onChange={(event) => set({ email: event.target.value })}
          />
        </Field>
        <Field id={`${id}-name`} label="Name" error={byField.name}>
          <input
            id={`${id}-name`}
            className="input"
            autoComplete="off"
            value={form.name}
            aria-invalid={byField.name ? true : undefined}
            aria-describedby={describedBy(`${id}-name`, byField.name)}
            onChange={(event) => set({ name: event.target.value })}
          />
        </Field>
        <Field id={`${id}-role`} label="Role" error={byField.role}>
          <select
            id={`${id}-role`}
            className="input"
            value={form.role}
            aria-describedby={describedBy(`${id}-role`, byField.role)}
            onChange={(event) => set({ role: event.target.value as UserRole })}
          >
            {ROLES_LADDER.map((role) => (
              <option key={role} value={role}>
                {USER_ROLE_LABEL[role]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={`${id}-password`}
          label="Password"
          error={byField.password}
          hint={`At least ${MIN_PASSWORD} characters`}
        >
          <input
            id={`${id}-password`}
            className="input"
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            value={form.password}
            aria-invalid={byField.password ? true : undefined}
            aria-describedby={describedBy(`${id}-password`, byField.password, true)}
            onChange={(event) => set({ password: event.target.value })}
          />
        </Field>
        <div className="form-submit">
          <button type="submit" className="button" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create user"}
          </button>
        </div>
      </form>
      {create.isError ? <MutationError error={create.error} extra={other} /> : null}
      <p role="status" className="muted small">
        {created ? `Created ${created}.` : ""}
      </p>
    </section>
  );
}
