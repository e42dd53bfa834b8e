import type { Problem } from "@certfleet/contracts";

export type FieldError = { field: string; message: string };

/** An error that carries its RFC 9457 rendering; the error handler sends it as is. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** RFC 9457 extension members, e.g. `current` on a 409 (the state the caller lost to). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? title);
    this.name = "ProblemError";
  }

  toProblem(instance?: string): Problem {
    return {
      type: problemType(this.status),
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export function problemType(status: number): string {
  return `https://certfleet.dev/problems/${status}`;
}

/** `/certificates/0/der` → `certificates[0].der`: the field name a person reads. */
export function pointerToField(pointer: string): string {
  const parts = pointer.split("/").slice(1).map(decodePointerToken);
  let field = "";
  for (const part of parts) field += /^\d+$/.test(part) ? `[${part}]` : field ? `.${part}` : part;
  return field || "(body)";
}

function decodePointerToken(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

export interface SchemaIssue {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Schema validator issues → named fields, one line each, with missing/extra properties spelled out. */
export function schemaIssuesToFieldErrors(issues: readonly SchemaIssue[], prefix = ""): FieldError[] {
  const errors = new Map<string, FieldError>();
  const add = (field: string, message: string) => {
    const named = joinField(prefix, field);
    errors.set(`${named}\u0000${message}`, { field: named, message });
  };
  for (const issue of issues) {
    const base = pointerToField(issue.instancePath);
    const params = issue.params ?? {};
    if (issue.keyword === "required") {
      for (const name of (params.requiredProperties as string[] | undefined) ?? [])
        add(joinField(base, name), "is required");
    } else if (issue.keyword === "additionalProperties") {
      for (const name of (params.additionalProperties as string[] | undefined) ?? []) {
        add(joinField(base, name), "is not a known field");
      }
    } else if (issue.keyword === "boolean") {
      // TypeBox reports an unknown property twice: here (schema false) and as additionalProperties.
      add(base, "is not a known field");
    } else {
      add(base, describeIssue(issue));
    }
  }
  return [...errors.values()];
}

function joinField(parent: string, child: string): string {
  if (!parent || parent === "(body)") return child || "(body)";
  if (!child || child === "(body)") return parent;
  return child.startsWith("[") ? `${parent}${child}` : `${parent}.${child}`;
}

function describeIssue(issue: SchemaIssue): string {
  const params = issue.params ?? {};
  if (issue.keyword === "enum") return `must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
  if (issue.keyword === "const") return `must be ${JSON.stringify(params.allowedValue)}`;
  if (issue.keyword === "format") return `must be a valid ${String(params.format)}`;
  return issue.message ?? "is invalid";
}
