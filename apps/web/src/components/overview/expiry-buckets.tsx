"use client";

import type { Count, ExpiryFilter } from "@certfleet/contracts";
import Link from "next/link";
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import { EXPIRY_LABEL, EXPIRY_TONE, formatCount, labelFor } from "@/lib/format";
import { EXPIRY_BUCKETS, hostsHref } from "@/lib/host-query";
import { type BarGeometry, barRect, ChartLink } from "./chart-link";
import { countAxisStyle, tooltipCursor, xAxisStyle } from "./chart-theme";

interface Datum {
  key: string;
  label: string;
  count: number;
  href: string;
  fill: string;
}

const TONE_FILL = {
  error: "var(--error-strong)",
  warning: "var(--warning-strong)",
  ok: "var(--ok-strong)",
  neutral: "var(--neutral-strong)",
} as const;

function isBucket(key: string | null): key is ExpiryFilter {
  return key !== null && (EXPIRY_BUCKETS as readonly string[]).includes(key);
}

/** Hosts per expiry bucket of the bound certificate. Bars and numbers open the bucket's hosts. */
export function ExpiryBuckets({ expiry }: { expiry: Count[] }) {
  const data: Datum[] = expiry.map((row) => ({
    key: row.key ?? "",
    label: labelFor(EXPIRY_LABEL, row.key),
    count: row.count,
    href: hostsHref(row.query),
    fill: TONE_FILL[isBucket(row.key) ? EXPIRY_TONE[row.key] : "neutral"],
  }));

  return (
    <section className="card chart-card" aria-labelledby="expiry-heading" data-testid="expiry-buckets">
      <div className="card-header">
        <h3 id="expiry-heading">Certificate expiry</h3>
        <span className="muted small">bound channel certificate, days left</span>
      </div>
      <div className="chart" aria-hidden="true">
        <BarChart
          responsive
          style={{ width: "100%", height: "100%" }}
          data={data}
          margin={{ top: 20, right: 8, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" {...xAxisStyle} interval={0} />
          <YAxis {...countAxisStyle} />
          <Tooltip cursor={tooltipCursor} content={<BucketTooltip />} />
          <Bar
            dataKey="count"
            isAnimationActive={false}
            shape={(props: BarGeometry) => {
              const datum = data[props.index];
              if (!datum) return null;
              return (
                <ChartLink href={datum.href} label={`${datum.label}: ${formatCount(datum.count)} hosts`}>
                  {barRect(props, datum.fill)}
                </ChartLink>
              );
            }}
          >
            <LabelList dataKey="count" position="top" fill="var(--text)" fontSize="0.8rem" />
          </Bar>
        </BarChart>
      </div>
      {/* The numbers themselves, as links: the keyboard and screen-reader way through the chart. */}
      <ul className="legend-links">
        {data.map((datum) => (
          <li key={datum.key}>
            <span className="legend-swatch" style={{ background: datum.fill }} aria-hidden="true" />
            <span className="legend-label">{datum.label}</span>
            <Link
              href={datum.href}
              className="legend-count"
              data-key={datum.key}
              aria-label={`${datum.label}: ${formatCount(datum.count)} hosts`}
            >
              {formatCount(datum.count)}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function BucketTooltip({ active, payload }: { active?: boolean; payload?: { payload?: Datum }[] }) {
  const datum = payload?.[0]?.payload;
  if (!active || !datum) return null;
  return (
    <div className="chart-tooltip">
      <strong>{datum.label}</strong>
      <span>
        {formatCount(datum.count)} {datum.count === 1 ? "host" : "hosts"} · click to list
      </span>
    </div>
  );
}
