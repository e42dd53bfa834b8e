"use client";

import type { ReactNode } from "react";
import { ApiError } from "@/lib/api";

/**
 * Error, empty and loading states shared by every page: an operator should always see what went
 * wrong in the API's own words (problem+json title and detail) and be one click from retrying.
 */
export function QueryError({
  error,
  onRetry,
  retrying,
  what,
}: {
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
  /** "the host list" — what failed to load, for the heading. */
  what: string;
}) {
  const { title, detail, fields } = describe(error);
  return (
    <div className="state-box state-error" role="alert">
      <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" className="state-icon">
        <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="1.8" />
        <path d="M12 7v6M12 16.5v.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <div className="state-body">
        <p className="state-title">
          Could not load {what}: {title}
        </p>
        {detail ? <p className="muted">{detail}</p> : null}
        {fields.length > 0 ? (
          <ul className="state-fields">
            {fields.map((field) => (
              <li key={`${field.field}:${field.message}`}>
                <code>{field.field}</code> {field.message}
              </li>
            ))}
          </ul>
        ) : null}
        {onRetry ? (
          <button type="button" className="button button-secondary" onClick={onRetry} disabled={retrying}>
            {retrying ? "Retrying…" : "Retry"}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function describe(error: unknown): {
  title: string;
  detail: string | undefined;
  fields: { field: string; message: string }[];
} {
  if (error instanceof ApiError) {
    if (error.status === 0) return { title: "the API did not answer", detail: error.detail, fields: [] };
    return {
      title: error.title,
      detail: error.detail ?? (error.problem ? undefined : `HTTP ${error.status}`),
      fields: error.problem?.errors ?? [],
    };
  }
  return { title: error instanceof Error ? error.message : "unknown error", detail: undefined, fields: [] };
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="state-box state-empty">
      <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" className="state-icon">
        <rect
          x="3.5"
          y="5"
          width="17"
          height="14"
          rx="2"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        />
        <path d="M3.5 9.5h17" stroke="currentColor" strokeWidth="1.6" />
      </svg>
      <div className="state-body">
        <p className="state-title">{title}</p>
        {children ? <div className="muted">{children}</div> : null}
        {action}
      </div>
    </div>
  );
}

export function Skeleton({
  width,
  height,
  className,
}: {
  width?: string;
  height?: string;
  className?: string;
}) {
  return (
    <span
      className={`skeleton${className ? ` ${className}` : ""}`}
      style={{ width: width ?? "100%", height: height ?? "1em" }}
      aria-hidden="true"
    />
  );
}

/** A card-shaped placeholder with a screen-reader label, for whole sections still loading. */
export function SkeletonCard({
  label,
  lines = 4,
  height,
}: {
  label: string;
  lines?: number;
  height?: string;
}) {
  return (
    <div className="card skeleton-card" aria-busy="true">
      <span className="visually-hidden">{label}</span>
      <Skeleton width="40%" height="1.2em" />
      {height ? (
        <Skeleton height={height} />
      ) : (
        Array.from({ length: lines }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders, never reordered
          <Skeleton key={i} width={`${90 - ((i * 17) % 40)}%`} />
        ))
      )}
    </div>
  );
}

/** The parts of a React Query result (plain or infinite) that its loading and error states need. */
interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

/** A skeleton while loading, the API's error with a retry on failure, else `children(data)`. */
export function QueryStates<T>({
  query,
  what,
  lines,
  children,
}: {
  query: QueryLike<T>;
  /** "the users": what is loading, for the skeleton's label and the error's heading. */
  what: string;
  lines?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <SkeletonCard label={`Loading ${what}`} lines={lines} />;
  if (query.isError || query.data === undefined) {
    return (
      <QueryError
        error={query.error}
        what={what}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return <>{children(query.data)}</>;
}

/** "Load more" under a list read page by page (an infinite query). */
export function LoadMore({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  return (
    <div className="table-footer">
      {query.hasNextPage ? (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}
