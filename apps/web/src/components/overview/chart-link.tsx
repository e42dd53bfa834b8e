"use client";

import { useRouter } from "next/navigation";
import type { MouseEvent, ReactNode } from "react";

/**
 * An SVG link around a chart mark, for the mouse: a plain click navigates client-side, modifier
 * clicks open a new tab. Charts are aria-hidden and every chart has its numbers as ordinary links
 * next to it, so these stay out of the tab order (tabIndex -1) instead of being announced twice.
 */
export function ChartLink({ href, label, children }: { href: string; label: string; children: ReactNode }) {
  const router = useRouter();
  const onClick = (event: MouseEvent<Element>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.push(href);
  };
  return (
    <a href={href} aria-label={label} onClick={onClick} className="chart-link" tabIndex={-1}>
      {children}
    </a>
  );
}

/** Bar geometry recharts hands to a custom `shape`. */
export interface BarGeometry {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  index: number;
}

export function barRect(props: BarGeometry, fill: string, radius = 4) {
  const { x = 0, y = 0, width = 0, height = 0 } = props;
  if (width <= 0 || height <= 0) return null;
  return <rect x={x} y={y} width={width} height={height} rx={Math.min(radius, width / 2)} fill={fill} />;
}
