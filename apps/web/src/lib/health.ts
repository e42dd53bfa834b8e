import type { Health } from "@certfleet/contracts";
import { queryOptions } from "@tanstack/react-query";
import { ApiError, apiFetch } from "./api";
import { healthKeys } from "./query-keys";

function isHealth(body: unknown): body is Health {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { status?: unknown }).status === "string" &&
    typeof (body as { database?: unknown }).database === "string"
  );
}

/** `GET /api/health`. A 503 that still carries a health body (database down) is a result, not an error. */
export async function fetchHealth(): Promise<Health> {
  try {
    return await apiFetch<Health>("/api/health");
  } catch (error) {
    if (error instanceof ApiError && error.status === 503 && isHealth(error.body)) return error.body;
    throw error;
  }
}

export const healthQuery = () =>
  queryOptions({
    queryKey: healthKeys.all,
    queryFn: fetchHealth,
    refetchInterval: 15_000,
    retry: 1,
  });

/** What the UI shows: `down` means the API itself could not be reached or answered with an error. */
export type HealthState = "loading" | "ok" | "degraded" | "down";
