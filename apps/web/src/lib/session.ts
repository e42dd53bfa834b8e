"use client";

import type { AuthOptions, Session } from "@certfleet/contracts";
import { type QueryClient, queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { apiFetch } from "./api";
import { LOGIN_PATH } from "./auth-redirect";
import { sessionKeys } from "./query-keys";
import { type CsrfSource, type SendMethod, sendJson } from "./send";

export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKeys.current(),
    queryFn: ({ signal }) => apiFetch<Session>("/api/v1/auth/session", { signal }),
    // The session changes only by signing in or out (both navigate); a rejected CSRF token refetches it.
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
  });

export const authOptionsQuery = () =>
  queryOptions({
    queryKey: sessionKeys.options(),
    queryFn: ({ signal }) => apiFetch<AuthOptions>("/api/v1/auth/options", { signal }),
    staleTime: 60_000,
  });

/** The signed-in user. Disabled where nobody need be signed in (the sign-in page). */
export function useSession(options: { enabled?: boolean } = {}) {
  return useQuery({ ...sessionQuery(), enabled: options.enabled ?? true });
}

/** The CSRF token from the cached session; refreshed from the API when the API rejects it. */
export function csrfFromCache(client: QueryClient): CsrfSource {
  return {
    token: async () => (await client.ensureQueryData(sessionQuery())).csrfToken,
    refresh: async () => (await client.fetchQuery({ ...sessionQuery(), staleTime: 0 })).csrfToken,
  };
}

export type Send = <T>(path: string, method: SendMethod, body?: unknown) => Promise<T>;

/** A state-changing API call that carries the CSRF token: the mutationFn of every mutation. */
export function useSend(): Send {
  const client = useQueryClient();
  return useMemo(() => {
    const csrf = csrfFromCache(client);
    return <T>(path: string, method: SendMethod, body?: unknown) => sendJson<T>(path, method, body, csrf);
  }, [client]);
}

/**
 * Signs out (this browser or everywhere), then loads the sign-in page afresh: a full navigation
 * drops every cached answer, so the next person at this screen sees nothing of the last one's.
 */
export async function signOut(send: Send, everywhere: boolean): Promise<void> {
  try {
    await send(everywhere ? "/api/v1/auth/logout-all" : "/api/v1/auth/logout", "POST");
  } finally {
    window.location.assign(LOGIN_PATH);
  }
}
