/**
 * `<input type="date">` speaks local calendar days ("2026-11-24"); the API speaks instants. A due
 * date moved to another day keeps its local time of day, so moving it never shifts it by hours.
 */
const pad = (n: number) => String(n).padStart(2, "0");

export function toDateInput(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `iso` moved to local day `day` (YYYY-MM-DD); undefined when `day` is not a valid date. */
export function withDay(iso: string, day: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [, year, month, date] = match.map(Number) as [number, number, number, number];
  const original = new Date(iso);
  const moved = new Date(
    year,
    month - 1,
    date,
    original.getHours(),
    original.getMinutes(),
    original.getSeconds(),
    original.getMilliseconds(),
  );
  // Date rolls 2026-02-31 over into March: reject rather than save a day nobody picked.
  if (Number.isNaN(moved.getTime()) || moved.getDate() !== date) return undefined;
  return moved.toISOString();
}
