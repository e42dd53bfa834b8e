"use client";

import type { AuthOptions, Session } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useId, useRef, useState } from "react";
import { ApiError } from "@/lib/api";
import { passwordChangeHref, safeNext } from "@/lib/auth-redirect";
import { sessionKeys } from "@/lib/query-keys";
import { USER_ROLE_LABEL } from "@/lib/roles";
import { sendPublic } from "@/lib/send";
import { authOptionsQuery } from "@/lib/session";

/** `/login`: e-mail and password, single sign-on when configured, and the demo accounts when loaded. */
export function LoginForm() {
  const id = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const next = safeNext(useSearchParams()?.get("next"));
  const options = useQuery(authOptionsQuery());
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const passwordRef = useRef<HTMLInputElement>(null);

  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      sendPublic<Session>("/api/v1/auth/login", body),
    onSuccess: (session) => {
      // Nothing cached before signing in belongs to this user: start from an empty cache.
      queryClient.clear();
      queryClient.setQueryData(sessionKeys.current(), session);
      // The first admin's password came from the server's configuration: replace it before anything else.
      router.replace(session.passwordChangeRequired ? passwordChangeHref(next) : next);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password });
  };

  return (
    <div className="login">
      <section className="card login-card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`} className="page-title">
          Sign in
        </h2>
        <form className="stack-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-email`}>E-mail</label>
            <input
              id={`${id}-email`}
              className="input"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              ref={passwordRef}
              className="input"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          {login.isError ? <LoginError error={login.error} /> : null}
          <button type="submit" className="button" disabled={login.isPending}>
            {login.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
        {options.data?.oidc ? (
          <a className="button button-secondary" href={options.data.oidc.startUrl}>
            Sign in with {options.data.oidc.name}
          </a>
        ) : null}
      </section>
      {options.data && options.data.demoAccounts.length > 0 ? (
        <DemoAccounts
          accounts={options.data.demoAccounts}
          onPick={(account) => {
            setEmail(account.email);
            setPassword(account.password);
            passwordRef.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

function LoginError({ error }: { error: Error }) {
  const title = error instanceof ApiError ? error.title : "Could not sign in";
  const detail =
    error instanceof ApiError
      ? error.status === 0
        ? "The API did not answer."
        : error.detail
      : error.message;
  return (
    <div className="form-error" role="alert">
      <strong>{title}</strong>
      {detail ? <span> {detail}</span> : null}
    </div>
  );
}

function DemoAccounts({
  accounts,
  onPick,
}: {
  accounts: AuthOptions["demoAccounts"];
  onPick: (account: AuthOptions["demoAccounts"][number]) => void;
}) {
  return (
    <section className="card login-card" aria-labelledby="demo-accounts-title">
      <h3 id="demo-accounts-title">Demo accounts</h3>
      <p className="muted small">The demo estate is loaded. Pick an account to fill in the form.</p>
      <ul className="demo-accounts">
        {accounts.map((account) => (
          <li key={account.email}>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onPick(account)}
            >
              Use {account.email}
            </button>
            <span className="tag">{USER_ROLE_LABEL[account.role]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
