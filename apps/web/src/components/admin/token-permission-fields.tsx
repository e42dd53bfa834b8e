import { TOKEN_SCOPE_NAMES, type TokenScopeName } from "@certfleet/contracts";

/** What each scope lets a token do, as an admin choosing them reads it. */
export const TOKEN_SCOPE_LABEL: Record<TokenScopeName, string> = {
  reports: "Post reports",
  inventory: "Import inventory",
  read: "Read hosts and exports",
};

/** "Post reports, Import inventory": a token's scopes in a table cell. */
export function describeScopes(scopes: readonly TokenScopeName[]): string {
  return scopes.map((scope) => TOKEN_SCOPE_LABEL[scope]).join(", ");
}

/**
 * The scopes of a token as checkboxes (at least one: the API refuses an empty list, and the last checked
 * box cannot be cleared), shared by the create form and the per-token editor.
 */
export function TokenPermissionFields({
  id,
  scopes,
  onScopes,
  error,
}: {
  id: string;
  scopes: TokenScopeName[];
  onScopes: (scopes: TokenScopeName[]) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="chip-group" aria-describedby={error ? `${id}-scopes-error` : undefined}>
      <legend>May</legend>
      {TOKEN_SCOPE_NAMES.map((scope) => {
        const on = scopes.includes(scope);
        return (
          <label key={scope} className="checkbox-field">
            <input
              type="checkbox"
              name="scopes"
              value={scope}
              checked={on}
              disabled={on && scopes.length === 1}
              onChange={() =>
                onScopes(TOKEN_SCOPE_NAMES.filter((name) => (name === scope ? !on : scopes.includes(name))))
              }
            />
            {TOKEN_SCOPE_LABEL[scope]}
          </label>
        );
      })}
      {error ? (
        <span id={`${id}-scopes-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
