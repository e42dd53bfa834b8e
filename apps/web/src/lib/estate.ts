import type {
  CertificateDetail,
  HostDetail,
  HostListQuery,
  HostPage,
  RuleCatalog,
  Summary,
} from "@certfleet/contracts";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { apiFetch } from "./api";
import { toSearchParams } from "./host-query";
import { certificateKeys, type HostListParams, hostKeys, ruleKeys, summaryKeys } from "./query-keys";

/** Every read of the estate API: one fetcher and one set of query options per resource. */

export const fetchSummary = (signal?: AbortSignal) => apiFetch<Summary>("/api/v1/summary", { signal });

export function fetchHostPage(query: HostListQuery, signal?: AbortSignal): Promise<HostPage> {
  const search = toSearchParams(query).toString();
  return apiFetch<HostPage>(`/api/v1/hosts${search ? `?${search}` : ""}`, { signal });
}

export const fetchHost = (fqdn: string, signal?: AbortSignal) =>
  apiFetch<HostDetail>(`/api/v1/hosts/${encodeURIComponent(fqdn)}`, { signal });

export const fetchCertificate = (sha256: string, signal?: AbortSignal) =>
  apiFetch<CertificateDetail>(`/api/v1/certificates/${encodeURIComponent(sha256)}`, { signal });

export const fetchRules = (signal?: AbortSignal) => apiFetch<RuleCatalog>("/api/v1/rules", { signal });

export const summaryQuery = () =>
  queryOptions({ queryKey: summaryKeys.all, queryFn: ({ signal }) => fetchSummary(signal) });

/** Rows per request of the host table: enough to fill a wall screen, small enough to stay fast. */
export const HOST_PAGE_SIZE = 100;

export const hostListQuery = (params: HostListParams) =>
  infiniteQueryOptions({
    queryKey: hostKeys.list(params),
    queryFn: ({ pageParam, signal }) =>
      fetchHostPage(
        { ...params, limit: HOST_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: HostPage) => last.nextCursor,
  });

export const hostDetailQuery = (fqdn: string) =>
  queryOptions({ queryKey: hostKeys.detail(fqdn), queryFn: ({ signal }) => fetchHost(fqdn, signal) });

export const certificateQuery = (sha256: string) =>
  queryOptions({
    queryKey: certificateKeys.detail(sha256),
    queryFn: ({ signal }) => fetchCertificate(sha256, signal),
  });

export const rulesQuery = () =>
  queryOptions({ queryKey: ruleKeys.all, queryFn: ({ signal }) => fetchRules(signal), staleTime: 60_000 });
