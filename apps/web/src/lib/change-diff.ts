/**
 * A compact before→after diff of two JSON snapshots (task history, audit entries): only the fields
 * that changed, each value shortened to something a person can read in a timeline.
 */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** Bookkeeping that changes on every write and says nothing to a reader. */
const NOISE = new Set(["version", "updatedAt"]);
const MAX_VALUE_LENGTH = 80;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One value, short: people by name, dates and strings as they are, anything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return shorten(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isRecord(value)) {
    if (typeof value.name === "string") return shorten(value.name);
    if (typeof value.email === "string") return shorten(value.email);
  }
  return shorten(JSON.stringify(value) ?? String(value));
}

function shorten(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/**
 * Changed fields between two snapshots, in first-seen order. Objects are compared field by field;
 * anything else (a created entity has no `before`) counts as one change of the whole value.
 */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) && !isRecord(after)) {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return [{ field: "value", before: formatValue(before), after: formatValue(after) }];
  }
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (NOISE.has(field)) continue;
    if (JSON.stringify(from[field]) === JSON.stringify(to[field])) continue;
    changes.push({ field, before: formatValue(from[field]), after: formatValue(to[field]) });
  }
  return changes;
}
