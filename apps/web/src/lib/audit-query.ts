import type { AuditListParams } from "./query-keys";

/**
 * `/admin/audit` keeps its filter in the URL: the API's names, except that From/To are calendar
 * days (what a date input gives) turned into instants in the viewer's time zone, To inclusive.
 */
export interface AuditFilters {
  action: string;
  actor: string;
  entityType: string;
  /** YYYY-MM-DD or "". */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { action: "", actor: "", entityType: "", from: "", to: "" };
const KEYS = [
  "action",
  "actor",
  "entityType",
  "from",
  "to",
] as const satisfies readonly (keyof AuditFilters)[];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseAuditUrl(search: URLSearchParams): AuditFilters {
  const filters = { ...EMPTY_AUDIT_FILTERS };
  for (const key of KEYS) filters[key] = (search.get(key) ?? "").trim();
  if (!DAY.test(filters.from)) filters.from = "";
  if (!DAY.test(filters.to)) filters.to = "";
  return filters;
}

/** The filter as a query string (no leading "?"), empty values left out, in a fixed order. */
export function auditFilterSearch(filters: AuditFilters): string {
  const search = new URLSearchParams();
  for (const key of KEYS) if (filters[key].trim() !== "") search.set(key, filters[key].trim());
  return search.toString();
}

/** Start of a local calendar day as an ISO instant; `days` shifts it (To is inclusive: next day's start). */
function dayStart(day: string, days = 0): string | undefined {
  if (!DAY.test(day)) return undefined;
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const start = new Date(year, month - 1, date + days);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

export function toAuditParams(filters: AuditFilters): AuditListParams {
  const params: AuditListParams = {};
  if (filters.action) params.action = filters.action;
  if (filters.actor) params.actor = filters.actor;
  if (filters.entityType) params.entityType = filters.entityType;
  const from = dayStart(filters.from);
  const to = dayStart(filters.to, 1);
  if (from) params.from = from;
  if (to) params.to = to;
  return params;
}

/** The API query string for these parameters (also the CSV export's). */
export function auditApiSearch(params: AuditListParams, limit?: number, cursor?: string | null): string {
  const search = new URLSearchParams();
  for (const key of ["action", "actor", "entityType", "entityId", "from", "to"] as const) {
    const value = params[key];
    if (value) search.set(key, value);
  }
  if (limit !== undefined) search.set("limit", String(limit));
  if (cursor) search.set("cursor", cursor);
  return search.toString();
}
