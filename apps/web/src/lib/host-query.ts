import type {
  AUTHENTICATION_FILTER_VALUES,
  ExpiryFilter,
  HostListQuery,
  HostRole,
  HostStatus,
  ReportingState,
  Severity,
} from "@certfleet/contracts";
import type { HostListParams } from "./query-keys";

/**
 * The host list's URL uses exactly the API's query vocabulary (HostListQuerySchema), so a summary
 * `query` pasted after `/hosts?` just works and a bookmarked URL asks the API the same question.
 *
 * The value lists below are runtime copies of the contract's enums (the web bundle imports contract
 * *types* only, so typebox stays out of it); `satisfies` makes the compiler reject a value the
 * contract does not have, and `Exhaustive` rejects a list that misses one.
 */
type Exhaustive<Union extends string, List extends readonly Union[]> = [Union] extends [List[number]]
  ? List
  : never;
export const list =
  <Union extends string>() =>
  <const List extends readonly Union[]>(values: List & Exhaustive<Union, List>) =>
    values;

export const STATUSES = list<HostStatus>()(["error", "warning", "ok"]);
export const ROLES = list<HostRole>()(["ManagementServer", "Gateway", "Agent"]);
export const EXPIRY_BUCKETS = list<ExpiryFilter>()(["expired", "d7", "d30", "d60", "d90", "later", "none"]);
export const REPORTING_STATES = list<ReportingState>()(["reporting", "silent", "never"]);
export const SEVERITIES = list<Severity>()(["error", "warning", "info"]);
export type AuthenticationFilter = (typeof AUTHENTICATION_FILTER_VALUES)[number];
/** kerberos: hosts whose newest report shows Kerberos (no certificate required or configured). */
export const AUTHENTICATIONS = list<AuthenticationFilter>()(["kerberos", "certificate"]);
export type ExpectedFilter = NonNullable<HostListQuery["expected"]>;
/** true: hosts an inventory lists (the overview's coverage); false: hosts that report without being listed. */
export const EXPECTED_VALUES = list<ExpectedFilter>()(["true", "false"]);
export type HostSort = NonNullable<HostListQuery["sort"]>;
export const SORTS = list<HostSort>()(["expiry", "fqdn", "status", "lastReport"]);
export type SortOrder = NonNullable<HostListQuery["order"]>;

/** The API's default order per sort (HostListQuerySchema's `order` description). */
export const DEFAULT_ORDER: Record<HostSort, SortOrder> = {
  expiry: "asc",
  fqdn: "asc",
  status: "desc",
  lastReport: "asc",
};

/** Parameter order in URLs and query keys: the schema's order, so equal filters give equal strings. */
const KEYS = [
  "status",
  "role",
  "managementGroup",
  "rule",
  "findingSeverity",
  "expiry",
  "expiresWithinDays",
  "reporting",
  "authentication",
  "q",
  "expected",
  "retired",
  "sort",
  "order",
] as const satisfies readonly (keyof HostListParams)[];

export type MultiKey = "status" | "role" | "expiry" | "reporting" | "findingSeverity" | "authentication";

const MULTI_VALUES: Record<MultiKey, readonly string[]> = {
  status: STATUSES,
  role: ROLES,
  expiry: EXPIRY_BUCKETS,
  reporting: REPORTING_STATES,
  findingSeverity: SEVERITIES,
  authentication: AUTHENTICATIONS,
};

export interface ParsedHostQuery {
  params: HostListParams;
  /** `name=value` pairs the API would reject; dropped so the rest of the filter still works. */
  ignored: string[];
}

/** URL search params → the API query. Unknown or malformed values are dropped and reported. */
export function parseHostQuery(search: URLSearchParams): ParsedHostQuery {
  const params: Record<string, string | number> = {};
  const ignored: string[] = [];
  for (const [name, value] of search) {
    if (name === "cursor" || name === "limit") continue; // owned by the table's pagination
    const accepted = acceptValue(name, value);
    if (accepted === undefined) ignored.push(`${name}=${value}`);
    else params[name] = accepted;
  }
  return { params: normalize(params as HostListParams), ignored };
}

function acceptValue(name: string, value: string): string | number | undefined {
  if (name in MULTI_VALUES) {
    const allowed = MULTI_VALUES[name as MultiKey];
    const given = value.split(",");
    // Canonical order, duplicates dropped: "silent,never" and "never,silent" are one query.
    const values = allowed.filter((v) => given.includes(v));
    return values.length > 0 ? values.join(",") : undefined;
  }
  switch (name) {
    case "managementGroup":
      return value.length <= 128 ? value : undefined;
    case "rule":
      return /^[a-z0-9-]{1,64}$/.test(value) ? value : undefined;
    case "expiresWithinDays": {
      const days = Number(value);
      return /^\d+$/.test(value) && days <= 3650 ? days : undefined;
    }
    case "q": {
      const text = value.trim();
      return text.length >= 1 && text.length <= 253 ? text : undefined;
    }
    case "expected":
      return (EXPECTED_VALUES as readonly string[]).includes(value) ? value : undefined;
    case "retired":
      // Only "true" means anything: the API's default (false) is the live hosts.
      return value === "true" ? value : undefined;
    case "sort":
      return (SORTS as readonly string[]).includes(value) ? value : undefined;
    case "order":
      return value === "asc" || value === "desc" ? value : undefined;
    default:
      return undefined;
  }
}

/** Same keys in the same order, undefined and empty (except managementGroup="") removed. */
export function normalize(params: HostListParams): HostListParams {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = params[key];
    if (value === undefined || (value === "" && key !== "managementGroup")) continue;
    out[key] = value;
  }
  return out as HostListParams;
}

/** The API query (and the `/hosts` URL) for these parameters. */
export function toSearchParams(query: HostListQuery): URLSearchParams {
  const search = new URLSearchParams();
  const { cursor, limit, ...params } = query;
  for (const [key, value] of Object.entries(normalize(params))) search.set(key, String(value));
  if (limit !== undefined) search.set("limit", String(limit));
  if (cursor) search.set("cursor", cursor);
  return search;
}

/** `/hosts?<query>` for a summary `query` string or a parameter object. */
export function hostsHref(query: string | HostListParams): string {
  const search = typeof query === "string" ? query : toSearchParams(query).toString();
  return search ? `/hosts?${search}` : "/hosts";
}

export function multiValues(params: HostListParams, key: MultiKey): string[] {
  const value = params[key];
  return value ? value.split(",") : [];
}

/** Toggles one value of a comma-list filter. */
export function toggleMulti(params: HostListParams, key: MultiKey, value: string): HostListParams {
  const current = multiValues(params, key);
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  // Keep the canonical order so the URL (and the query key) does not depend on click order.
  const ordered = MULTI_VALUES[key].filter((v) => next.includes(v));
  return normalize({ ...params, [key]: ordered.length > 0 ? ordered.join(",") : undefined });
}

/** Sets a one-value filter (`expected`), or clears it when the same value is chosen again. */
export function toggleExpected(params: HostListParams, value: ExpectedFilter): HostListParams {
  return normalize({ ...params, expected: params.expected === value ? undefined : value });
}

/** Shows the hosts an inventory import retired instead of the live ones, or back. */
export function toggleRetired(params: HostListParams): HostListParams {
  return normalize({ ...params, retired: params.retired === "true" ? undefined : "true" });
}
