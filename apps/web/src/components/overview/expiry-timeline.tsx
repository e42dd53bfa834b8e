"use client";

import type { HostRole } from "@certfleet/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { QueryError, Skeleton } from "@/components/ui/query-state";
import { expiryTimelineQuery, TIMELINE_DAYS, type TimelineWeek, weeklyExpiry } from "@/lib/expiry-timeline";
import { formatCount, ROLE_LABEL } from "@/lib/format";
import { hostsHref, ROLES } from "@/lib/host-query";
import { type BarGeometry, barRect, ChartLink } from "./chart-link";
import { countAxisStyle, tooltipCursor, xAxisStyle } from "./chart-theme";

const ROLE_FILL: Record<HostRole, string> = {
  ManagementServer: "var(--chart-1)",
  Gateway: "var(--chart-2)",
  Agent: "var(--chart-3)",
};

const MILESTONES = [30, 90, TIMELINE_DAYS] as const;

const shortDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });

/** `/hosts` with every host expiring by the end of `week` (the API has no lower bound on days left). */
const weekHref = (week: TimelineWeek) => hostsHref({ expiresWithinDays: week.toDay, sort: "expiry" });

/**
 * Weekly expiries over the next 180 days, stacked by role: agents are the hosts SCOM itself never
 * warns about. Clicking a week opens every host expiring by the end of it, soonest first.
 */
export function ExpiryTimeline() {
  const { data, error, isPending, isError, refetch, isFetching, dataUpdatedAt } = useQuery(
    expiryTimelineQuery(),
  );
  // One "now" per data version, so weeks do not shift under the pointer while hovering.
  const weeks = useMemo(
    () => (data ? weeklyExpiry(data.items, TIMELINE_DAYS, dataUpdatedAt || Date.now()) : []),
    [data, dataUpdatedAt],
  );
  const busiest = weeks.reduce<TimelineWeek | null>(
    (best, week) => (week.count > (best?.count ?? 0) ? week : best),
    null,
  );
  const total = weeks.at(-1)?.cumulative ?? 0;

  return (
    <section className="card chart-card" aria-labelledby="timeline-heading" data-testid="expiry-timeline">
      <div className="card-header">
        <h3 id="timeline-heading">Expiry timeline, next {TIMELINE_DAYS} days</h3>
        {data ? (
          <Link
            href={hostsHref({ expiresWithinDays: TIMELINE_DAYS, sort: "expiry" })}
            className="small"
            data-testid="timeline-total"
          >
            {formatCount(data.total)} expiring
            <span className="visually-hidden"> within {TIMELINE_DAYS} days</span>
          </Link>
        ) : null}
      </div>
      {isPending ? (
        <div className="chart">
          <Skeleton height="100%" />
        </div>
      ) : isError ? (
        <QueryError
          error={error}
          what="the expiry timeline"
          onRetry={() => refetch()}
          retrying={isFetching}
        />
      ) : total === 0 ? (
        <div className="chart chart-empty">
          <p className="muted">No bound certificate expires in the next {TIMELINE_DAYS} days.</p>
        </div>
      ) : (
        <>
          <div className="chart" aria-hidden="true">
            <BarChart
              responsive
              style={{ width: "100%", height: "100%" }}
              data={weeks}
              margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
              accessibilityLayer={false}
            >
              <CartesianGrid vertical={false} stroke="var(--border)" />
              <XAxis
                dataKey="week"
                tickFormatter={(week: number) => {
                  const start = weeks[week]?.start;
                  return start ? shortDate.format(start) : "";
                }}
                {...xAxisStyle}
                minTickGap={16}
              />
              <YAxis {...countAxisStyle} />
              <Tooltip cursor={tooltipCursor} content={<WeekTooltip />} />
              <Legend
                iconType="circle"
                iconSize={8}
                formatter={(value: string) => <span className="legend-text">{value}</span>}
              />
              {ROLES.map((role) => (
                <Bar
                  key={role}
                  dataKey={(week: TimelineWeek) => week.byRole[role]}
                  name={ROLE_LABEL[role]}
                  stackId="role"
                  fill={ROLE_FILL[role]}
                  isAnimationActive={false}
                  shape={(props: BarGeometry) => {
                    const week = weeks[props.index];
                    if (!week) return null;
                    return (
                      <ChartLink
                        href={weekHref(week)}
                        label={`${formatCount(week.cumulative)} hosts expire within ${week.toDay} days`}
                      >
                        {barRect(props, ROLE_FILL[role], 2)}
                      </ChartLink>
                    );
                  }}
                />
              ))}
            </BarChart>
          </div>
          <ul className="legend-links legend-links-inline">
            {MILESTONES.map((days) => {
              const count = data.items.filter((item) => {
                const left = item.boundCertificate?.daysLeft;
                return left !== undefined && left >= 0 && left <= days;
              }).length;
              return (
                <li key={days}>
                  <span className="legend-label">Within {days} days</span>
                  <Link
                    href={hostsHref({ expiresWithinDays: days, sort: "expiry" })}
                    className="legend-count"
                    data-key={`within-${days}`}
                    aria-label={`${formatCount(count)} hosts expire within ${days} days`}
                  >
                    {formatCount(count)}
                    {/* Partial read: a lower bound once the rows we have reach this far. */}
                    {data.nextCursor && (data.items.at(-1)?.boundCertificate?.daysLeft ?? 0) <= days
                      ? "+"
                      : ""}
                  </Link>
                </li>
              );
            })}
          </ul>
          <p className="muted small">
            {busiest
              ? `Busiest week: ${shortDate.format(busiest.start)}, ${formatCount(busiest.count)} expiring. `
              : null}
            {data.nextCursor ? `The chart shows the first ${formatCount(data.items.length)} hosts. ` : null}
            Click a week to list every host expiring by its end.
          </p>
        </>
      )}
    </section>
  );
}

function WeekTooltip({ active, payload }: { active?: boolean; payload?: { payload?: TimelineWeek }[] }) {
  const week = payload?.[0]?.payload;
  if (!active || !week) return null;
  const end = new Date(week.start.getTime() + (week.toDay - week.fromDay) * 86_400_000);
  return (
    <div className="chart-tooltip">
      <strong>
        {shortDate.format(week.start)} – {shortDate.format(end)}
      </strong>
      {ROLES.map((role) => (
        <span key={role}>
          {ROLE_LABEL[role]}: {formatCount(week.byRole[role])}
        </span>
      ))}
      <span className="muted">{formatCount(week.cumulative)} expiring by then · click to list</span>
    </div>
  );
}
