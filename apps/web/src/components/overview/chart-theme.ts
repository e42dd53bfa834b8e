// Axis and tooltip styling shared by the overview's charts, from the design tokens (light and dark).
export const axisTick = { fill: "var(--text-muted)", fontSize: "0.75rem" } as const;

export const xAxisStyle = { tickLine: false, axisLine: { stroke: "var(--border)" }, tick: axisTick } as const;

/** Counts of hosts: whole numbers, no axis line, width fitted to the labels. */
export const countAxisStyle = {
  width: "auto",
  allowDecimals: false,
  tickLine: false,
  axisLine: false,
  tick: axisTick,
} as const;

export const tooltipCursor = { fill: "var(--surface-muted)" } as const;
