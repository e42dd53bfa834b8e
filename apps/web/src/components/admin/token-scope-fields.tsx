import { describedBy, Field } from "@/components/ui/form-bits";

/** The two scope inputs, shared by the create form and the per-token scope editor. */
export function TokenScopeFields({
  id,
  groups,
  suffixes,
  onGroups,
  onSuffixes,
  errors,
}: {
  id: string;
  groups: string;
  suffixes: string;
  onGroups: (value: string) => void;
  onSuffixes: (value: string) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <Field
        id={`${id}-groups`}
        label="Management groups"
        hint="Comma-separated; empty: any group"
        error={errors.managementGroups}
      >
        <input
          id={`${id}-groups`}
          className="input"
          placeholder="e.g. MG-DMZ"
          value={groups}
          aria-describedby={describedBy(`${id}-groups`, errors.managementGroups, true)}
          onChange={(event) => onGroups(event.target.value)}
        />
      </Field>
      <Field
        id={`${id}-suffixes`}
        label="Host name suffixes"
        hint="Comma-separated; empty: any host"
        error={errors.fqdnSuffixes}
      >
        <input
          id={`${id}-suffixes`}
          className="input"
          placeholder="e.g. .dmz.contoso.com"
          value={suffixes}
          aria-describedby={describedBy(`${id}-suffixes`, errors.fqdnSuffixes, true)}
          onChange={(event) => onSuffixes(event.target.value)}
        />
      </Field>
    </>
  );
}
