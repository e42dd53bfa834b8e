"use client";

import type { HostListItem } from "@certfleet/contracts";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, type Header, useReactTable } from "@tanstack/react-table";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { EmptyState, QueryError, Skeleton } from "@/components/ui/query-state";
import { hostListQuery } from "@/lib/estate";
import { formatCount } from "@/lib/format";
import { useNow } from "@/lib/hooks";
import { DEFAULT_ORDER, type HostSort } from "@/lib/host-query";
import type { HostListParams } from "@/lib/query-keys";
import { hostColumns, SORTABLE } from "./host-columns";
import type { SetHostParams } from "./hosts-view";

/** Past this many loaded rows only the visible ones are in the DOM. */
const VIRTUALIZE_AFTER = 150;
const ROW_ESTIMATE = 53;

/**
 * The host list: sorted, filtered and paginated by the API (keyset cursor), never in the browser.
 * Long lists are windowed with the page's own scrollbar, keeping real <table> semantics (spacer
 * rows above and below) and aria-rowcount/aria-rowindex so screen readers know the full size.
 */
export function HostTable({ params, setParams }: { params: HostListParams; setParams: SetHostParams }) {
  const query = useInfiniteQuery({ ...hostListQuery(params), placeholderData: keepPreviousData });
  const {
    data,
    error,
    isPending,
    isError,
    refetch,
    isFetching,
    hasNextPage,
    fetchNextPage,
    isFetchingNextPage,
  } = query;
  const rows = useMemo(() => data?.pages.flatMap((page) => page.items) ?? [], [data]);
  const total = data?.pages[0]?.total ?? 0;
  const now = useNow();
  const columns = useMemo(() => hostColumns(now), [now]);

  const sort: HostSort = params.sort ?? "expiry";
  const order = params.order ?? DEFAULT_ORDER[sort];
  const sortColumn = Object.entries(SORTABLE).find(([, key]) => key === sort)?.[0] ?? "expiry";

  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.id),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    state: { sorting: [{ id: sortColumn, desc: order === "desc" }] },
  });

  const onSort = (columnId: string) => {
    const key = SORTABLE[columnId];
    if (!key) return;
    const nextOrder = key === sort ? (order === "asc" ? "desc" : "asc") : DEFAULT_ORDER[key];
    setParams(
      { ...params, sort: key, order: nextOrder === DEFAULT_ORDER[key] ? undefined : nextOrder },
      "replace",
    );
  };

  const tableRows = table.getRowModel().rows;
  const virtualize = tableRows.length > VIRTUALIZE_AFTER;
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure when the rows above can have moved
  useLayoutEffect(() => {
    // Where the rows start on the page: the window virtualizer measures from the document top.
    if (bodyRef.current) setScrollMargin(bodyRef.current.getBoundingClientRect().top + window.scrollY);
  }, [virtualize, rows.length]);
  const virtualizer = useWindowVirtualizer({
    count: tableRows.length,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 12,
    scrollMargin,
    enabled: virtualize,
  });
  const virtualItems = virtualize ? virtualizer.getVirtualItems() : null;
  const first = virtualItems?.[0];
  const last = virtualItems?.at(-1);
  const padTop = first ? first.start - scrollMargin : 0;
  const padBottom = last ? virtualizer.getTotalSize() - (last.end - scrollMargin) : 0;
  const visible = virtualItems
    ? virtualItems.flatMap((item) => {
        const row = tableRows[item.index];
        return row ? [{ row, index: item.index }] : [];
      })
    : tableRows.map((row, index) => ({ row, index }));

  // Keep reading while the end of a windowed list is on screen.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !virtualize || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "800px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [virtualize, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (isError && !data)
    return <QueryError error={error} what="the host list" onRetry={() => refetch()} retrying={isFetching} />;

  const filtered = Object.keys(params).some((key) => key !== "sort" && key !== "order");
  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <section className="card table-card" aria-labelledby="hosts-table-caption">
      <div className="table-toolbar">
        <p
          className="table-count"
          aria-live="polite"
          data-testid="host-total"
          data-total={isPending ? "" : total}
        >
          {isPending ? (
            <Skeleton width="8em" />
          ) : (
            <>
              <strong>{formatCount(total)}</strong> {total === 1 ? "host" : "hosts"}
              {rows.length < total ? (
                <span className="muted"> · showing {formatCount(rows.length)}</span>
              ) : null}
            </>
          )}
        </p>
        {isFetching && !isPending && !isFetchingNextPage ? (
          <span className="muted small" aria-hidden="true">
            Updating…
          </span>
        ) : null}
      </div>
      {isError ? (
        <QueryError
          error={error}
          what="the latest host list"
          onRetry={() => refetch()}
          retrying={isFetching}
        />
      ) : null}
      {!isPending && rows.length === 0 ? null : (
        <section
          className="table-scroll host-table-scroll"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          aria-labelledby="hosts-table-caption"
        >
          <table
            className="data-table host-table"
            aria-rowcount={isPending ? -1 : total + 1}
            aria-busy={isFetching}
          >
            <caption id="hosts-table-caption" className="visually-hidden">
              Hosts{filtered ? " matching the filters" : ""}, sorted by {sort}{" "}
              {order === "asc" ? "ascending" : "descending"}
            </caption>
            {/* Fixed column widths: windowed rows come and go, the columns must not jump. */}
            <colgroup>
              {table.getVisibleLeafColumns().map((column) => (
                <col key={column.id} className={`col-${column.id}`} />
              ))}
            </colgroup>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} aria-rowindex={1}>
                  {group.headers.map((header) => (
                    <HeaderCell key={header.id} header={header} onSort={onSort} />
                  ))}
                </tr>
              ))}
            </thead>
            <tbody ref={bodyRef}>
              {isPending ? (
                Array.from({ length: 8 }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
                  // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a placeholder row, nothing in it is focusable
                  <tr key={i} className="skeleton-row" aria-hidden="true">
                    {Array.from({ length: columnCount }, (_, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
                      <td key={j}>
                        <Skeleton width={j === 1 ? "80%" : "60%"} />
                      </td>
                    ))}
                  </tr>
                ))
              ) : (
                <>
                  {padTop > 0 ? (
                    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer standing in for off-screen rows
                    <tr aria-hidden="true" className="spacer-row">
                      <td colSpan={columnCount} style={{ height: padTop }} />
                    </tr>
                  ) : null}
                  {visible.map(({ row, index }) => (
                    <tr
                      key={row.id}
                      data-index={index}
                      data-host={row.original.fqdn}
                      data-testid="host-row"
                      aria-rowindex={index + 2}
                      ref={virtualize ? virtualizer.measureElement : undefined}
                    >
                      {row.getVisibleCells().map((cell) => (
                        <td key={cell.id} className={`col-${cell.column.id}`}>
                          {flexRender(cell.column.columnDef.cell, cell.getContext())}
                        </td>
                      ))}
                    </tr>
                  ))}
                  {padBottom > 0 ? (
                    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer standing in for off-screen rows
                    <tr aria-hidden="true" className="spacer-row">
                      <td colSpan={columnCount} style={{ height: padBottom }} />
                    </tr>
                  ) : null}
                </>
              )}
            </tbody>
          </table>
        </section>
      )}
      {!isPending && rows.length === 0 ? (
        <EmptyState
          title={filtered ? "No host matches these filters" : "No hosts yet"}
          action={
            filtered ? (
              <Link className="button button-secondary" href="/hosts">
                Show all hosts
              </Link>
            ) : null
          }
        >
          {filtered
            ? "Loosen a filter, or check the spelling of the search."
            : "Hosts appear when a collector posts its first report."}
        </EmptyState>
      ) : null}
      <div ref={sentinel} className="table-footer">
        {hasNextPage ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void fetchNextPage()}
            disabled={isFetchingNextPage}
          >
            {isFetchingNextPage ? "Loading…" : `Load more (${formatCount(total - rows.length)} left)`}
          </button>
        ) : rows.length > 0 ? (
          <span className="muted small">All {formatCount(rows.length)} shown.</span>
        ) : null}
      </div>
    </section>
  );
}

function HeaderCell({
  header,
  onSort,
}: {
  header: Header<HostListItem, unknown>;
  onSort: (columnId: string) => void;
}) {
  const id = header.column.id;
  const label = flexRender(header.column.columnDef.header, header.getContext());
  if (!SORTABLE[id])
    return (
      <th scope="col" className={`col-${id}`}>
        {label}
      </th>
    );
  const sorted = header.column.getIsSorted();
  return (
    <th
      scope="col"
      className={`col-${id}`}
      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
    >
      <button type="button" className="sort-button" onClick={() => onSort(id)} data-sort={id}>
        {label}
        <span className={`sort-arrow${sorted ? " sort-arrow-on" : ""}`} aria-hidden="true">
          {sorted === "desc" ? "↓" : sorted === "asc" ? "↑" : "↕"}
        </span>
      </button>
    </th>
  );
}
