import type { ReactNode } from "react";
import { ApiError } from "@/lib/api";
import { formatDateTime } from "@/lib/format";

/** A labelled input with its error underneath, tied together for screen readers. */
export function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** `aria-describedby` for an input rendered by Field. */
export function describedBy(id: string, error: string | undefined, hint?: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return ids || undefined;
}

/** A failed request in the API's words: the problem title, then its detail. */
export function MutationError({ error, extra = [] }: { error: unknown; extra?: string[] }) {
  const title = error instanceof ApiError ? error.title : "Something went wrong";
  const detail =
    error instanceof ApiError
      ? error.status === 0
        ? "The API did not answer."
        : error.detail
      : error instanceof Error
        ? error.message
        : undefined;
  return (
    <div className="form-error" role="alert">
      <strong>{title}</strong>
      {detail ? ` ${detail}` : ""}
      {extra.length > 0 ? (
        <ul className="state-fields">
          {extra.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A form's submit button: disabled, and saying so, while its request is on its way. */
export function SubmitButton({
  pending,
  label,
  disabled = false,
  small = false,
}: {
  pending: boolean;
  label: string;
  disabled?: boolean;
  small?: boolean;
}) {
  return (
    <button type="submit" className={small ? "button button-small" : "button"} disabled={pending || disabled}>
      {pending ? "Saving…" : label}
    </button>
  );
}

/** Under a settings form: "Saved." right after a save, then when the setting last changed (or `never`). */
export function SaveStatus({
  saved,
  updatedAt,
  never,
}: {
  saved: boolean;
  updatedAt: string | null | undefined;
  never: string;
}) {
  return (
    <p className="muted small" role="status">
      {saved ? "Saved. " : ""}
      {updatedAt ? `Last changed ${formatDateTime(updatedAt)}.` : never}
    </p>
  );
}
