import type {
  AuditPage,
  CollectorTokenList,
  Settings,
  TrustAnchorList,
  UserList,
} from "@certfleet/contracts";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { apiFetch } from "./api";
import { auditApiSearch } from "./audit-query";
import {
  type AuditListParams,
  auditKeys,
  settingsKeys,
  tokenKeys,
  trustAnchorKeys,
  userKeys,
} from "./query-keys";

/** Reads of the admin API: users, collector tokens, trust anchors, settings and the audit log. */

export const usersQuery = () =>
  queryOptions({
    queryKey: userKeys.list(),
    queryFn: ({ signal }) => apiFetch<UserList>("/api/v1/users", { signal }),
  });

export const tokensQuery = () =>
  queryOptions({
    queryKey: tokenKeys.all,
    queryFn: ({ signal }) => apiFetch<CollectorTokenList>("/api/v1/tokens", { signal }),
  });

export const trustAnchorsQuery = () =>
  queryOptions({
    queryKey: trustAnchorKeys.all,
    queryFn: ({ signal }) => apiFetch<TrustAnchorList>("/api/v1/trust-anchors", { signal }),
  });

export const settingsQuery = () =>
  queryOptions({
    queryKey: settingsKeys.all,
    queryFn: ({ signal }) => apiFetch<Settings>("/api/v1/settings", { signal }),
  });

export const AUDIT_PAGE_SIZE = 100;

export const auditQuery = (params: AuditListParams) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(params),
    queryFn: ({ pageParam, signal }) =>
      apiFetch<AuditPage>(`/api/v1/audit?${auditApiSearch(params, AUDIT_PAGE_SIZE, pageParam)}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AuditPage) => last.nextCursor,
  });
