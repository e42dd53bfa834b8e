"use client";

import { useQuery } from "@tanstack/react-query";
import { ApiError } from "@/lib/api";
import { type HealthState, healthQuery } from "@/lib/health";

const STATE_LABEL: Record<HealthState, string> = {
  loading: "Checking…",
  ok: "All systems operational",
  degraded: "Degraded",
  down: "API unreachable",
};

function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return `The API did not answer (${error.detail ?? "network error"}).`;
    // No problem+json body on a 5xx: the request never got an answer from the API itself.
    if (!error.problem && error.status >= 500)
      return `No answer from the API (HTTP ${error.status} ${error.title}).`;
    return error.detail ? `${error.title} — ${error.detail}` : `${error.title} (HTTP ${error.status})`;
  }
  return error instanceof Error ? error.message : "Unknown error";
}

function formatTime(epochMs: number): string {
  return epochMs > 0 ? new Date(epochMs).toLocaleTimeString() : "—";
}

function healthState({ isPending, isError, data }: ReturnType<typeof useHealthQuery>): HealthState {
  if (isPending) return "loading";
  if (isError) return "down";
  return data.status === "ok" && data.database === "up" ? "ok" : "degraded";
}

function useHealthQuery() {
  return useQuery(healthQuery());
}

/** Live API and database status from `GET /api/health`. */
export function HealthStatus() {
  const query = useHealthQuery();
  const { data, error, isPending, isError, isFetching, dataUpdatedAt, refetch } = query;

  const state = healthState(query);

  return (
    <section
      className="card health"
      data-testid="api-health"
      data-state={state}
      aria-busy={isPending}
      aria-labelledby="health-heading"
    >
      <header className="card-header">
        <h3 id="health-heading">Service health</h3>
        <span className={`badge badge-${state}`} role="status" aria-live="polite">
          <span className="dot" aria-hidden="true" />
          {STATE_LABEL[state]}
        </span>
      </header>

      {isPending ? (
        <dl className="facts" aria-label="Loading service health">
          {["API", "Database", "Version"].map((label) => (
            <div key={label} className="fact">
              <dt>{label}</dt>
              <dd>
                <span className="skeleton" />
              </dd>
            </div>
          ))}
        </dl>
      ) : isError ? (
        <div className="error-box">
          <p>
            <strong>Could not reach the certfleet API.</strong> {describeError(error)}
          </p>
          <p className="muted">
            {data ? `Last good check at ${formatTime(dataUpdatedAt)}. ` : ""}Retrying every 15 seconds.
          </p>
          <button type="button" className="button" onClick={() => refetch()} disabled={isFetching}>
            {isFetching ? "Retrying…" : "Retry now"}
          </button>
        </div>
      ) : (
        <dl className="facts">
          <div className="fact">
            <dt>API</dt>
            <dd data-testid="api-state">
              <span className="dot dot-ok" aria-hidden="true" /> Up
            </dd>
          </div>
          <div className="fact">
            <dt>Database</dt>
            <dd data-testid="database-state">
              <span className={`dot ${data.database === "up" ? "dot-ok" : "dot-down"}`} aria-hidden="true" />{" "}
              {data.database === "up" ? "Up" : "Down"}
            </dd>
          </div>
          <div className="fact">
            <dt>Version</dt>
            <dd>
              <code>{data.version}</code>
            </dd>
          </div>
          <div className="fact">
            <dt>Checked</dt>
            <dd>{formatTime(dataUpdatedAt)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
