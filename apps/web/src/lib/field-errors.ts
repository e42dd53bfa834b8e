import { ApiError } from "./api";

/**
 * The API names each bad field in `problem.errors` (`email`, `password`, `certificates[0].der`).
 * A form shows each message under its own input; anything it has no input for goes in the summary.
 */
export function fieldErrors(
  error: unknown,
  fields: readonly string[],
): {
  byField: Record<string, string>;
  other: string[];
} {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  if (!(error instanceof ApiError)) return { byField, other };
  for (const issue of error.problem?.errors ?? []) {
    const name = fields.find(
      (field) =>
        issue.field === field || issue.field.startsWith(`${field}.`) || issue.field.startsWith(`${field}[`),
    );
    if (name && byField[name] === undefined) byField[name] = issue.message;
    else if (!name) other.push(`${issue.field} ${issue.message}`);
  }
  return { byField, other };
}
