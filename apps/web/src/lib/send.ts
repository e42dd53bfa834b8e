import { ApiError, apiFetch } from "./api";

export type SendMethod = "POST" | "PATCH" | "PUT" | "DELETE";

/** Where the CSRF token comes from: the cached session, and a fresh one when the API rejects it. */
export interface CsrfSource {
  token: () => Promise<string | undefined>;
  refresh: () => Promise<string | undefined>;
}

/** The API's answer to a missing or stale `x-csrf-token` (apps/api/src/plugins/errors.ts). */
export function isCsrfRejection(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.title === "Missing or invalid CSRF token";
}

/**
 * Sends a state-changing request with the session's CSRF token. A rejected token (the session was
 * renewed in another tab, or the server restarted) is refetched and the request retried once.
 */
export async function sendJson<T>(
  path: string,
  method: SendMethod,
  body: unknown,
  csrf: CsrfSource,
): Promise<T> {
  const attempt = (token: string | undefined) =>
    apiFetch<T>(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { "x-csrf-token": token } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  try {
    return await attempt(await csrf.token());
  } catch (error) {
    if (!isCsrfRejection(error)) throw error;
    return attempt(await csrf.refresh());
  }
}

/** Sends without a token: for the sign-in call, made before there is a session. */
export function sendPublic<T>(path: string, body: unknown): Promise<T> {
  return apiFetch<T>(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
