/**
 * A strict check of five-field cron expressions (minute hour day-of-month month day-of-week), the
 * form pg-boss schedules accept. Catches typos with a message naming the field, before pg-boss's
 * own parser would fail on them deep inside a request.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

export const CRON_FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  // Names map to 1..12 (JAN = 1).
  { name: "month", min: 1, max: 12, names: ["", ...MONTHS] },
  // 0 and 7 are both Sunday.
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

/** Null when `expression` is a valid five-field cron expression, else what is wrong with it. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `needs 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  for (const [index, text] of fields.entries()) {
    const field = CRON_FIELDS[index] as CronField;
    for (const part of (text as string).split(",")) {
      const problem = partProblem(part, field);
      if (problem) return `${field.name}: ${problem}`;
    }
  }
  return null;
}

function partProblem(part: string, field: CronField): string | null {
  const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
  if (!match) return `"${part}" is not a value, range, list or step`;
  const [, range, step] = match;
  if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) {
    return `step ${step} must be between 1 and ${field.max}`;
  }
  if (range === "*") return null;
  const bounds = (range as string).split("-").map((value) => fieldValue(value, field));
  if (bounds.some((value) => value === null)) {
    return `"${range}" must be ${field.min}-${field.max}${field.names ? " or a name" : ""}`;
  }
  const [from, to] = bounds as number[];
  if (to !== undefined && (from as number) > to) return `range ${range} runs backwards`;
  return null;
}

function fieldValue(text: string, field: CronField): number | null {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : null;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 && field.names?.[index] !== "" ? index : null;
}
