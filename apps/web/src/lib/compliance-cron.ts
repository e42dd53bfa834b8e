/**
 * Plain-language hints for five-field cron expressions (the API validates; this only explains),
 * and the time zones a schedule may use.
 */

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAY_ABBREVIATIONS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const two = (value: string) => value.padStart(2, "0");

function dayName(value: string): string | null {
  const index = /^\d$/.test(value) ? Number(value) % 7 : DAY_ABBREVIATIONS.indexOf(value.toUpperCase());
  return index >= 0 && index <= 6 ? (DAY_NAMES[index] ?? null) : null;
}

function describeDays(field: string): string | null {
  if (field === "*") return "every day";
  const range = /^(\w+)-(\w+)$/.exec(field);
  if (range) {
    const [from, to] = [dayName(range[1] ?? ""), dayName(range[2] ?? "")];
    return from && to ? `${from} to ${to}` : null;
  }
  const names = field.split(",").map(dayName);
  if (names.some((name) => name === null)) return null;
  return `every ${names.join(", ")}`;
}

/**
 * "Every Monday at 07:00" for `0 7 * * 1`; null when the expression is beyond these simple shapes
 * (the form then shows the expression as is).
 */
export function describeCron(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (minute === "*" && hour === "*" && dayOfMonth === "*" && month === "*" && dayOfWeek === "*")
    return "Every minute";
  const step = /^\*\/(\d+)$/.exec(minute);
  if (step && hour === "*" && dayOfMonth === "*" && month === "*" && dayOfWeek === "*")
    return `Every ${step[1]} minutes`;
  if (!/^\d{1,2}$/.test(minute)) return null;
  if (hour === "*" && dayOfMonth === "*" && month === "*" && dayOfWeek === "*")
    return `Every hour at minute ${Number(minute)}`;
  if (!/^\d{1,2}$/.test(hour) || month !== "*") return null;
  const time = `${two(hour)}:${two(minute)}`;
  if (dayOfMonth !== "*") {
    if (!/^\d{1,2}$/.test(dayOfMonth) || dayOfWeek !== "*") return null;
    return `On day ${Number(dayOfMonth)} of every month at ${time}`;
  }
  const days = describeDays(dayOfWeek);
  if (!days) return null;
  return `${days.charAt(0).toUpperCase()}${days.slice(1)} at ${time}`;
}

/** IANA zones the browser knows, with the given one first-class even on old browsers. */
export function timeZoneOptions(preferred: string): string[] {
  const supported =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
  const zones = new Set([...supported, "UTC", preferred]);
  return [...zones].sort();
}

/** The browser's own zone: the default for a new schedule. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** The first characters of a SHA-256, enough to tell reports apart at a glance. */
export const shortHash = (sha256: string) => sha256.slice(0, 12);
