import type PDFDocument from "pdfkit";

/** A4 in points, and the one set of margins and colours every page uses. */
export const PAGE = { width: 595.28, height: 841.89, margin: 48, footer: 28 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Below this, a line would run into the footer: start a new page. */
export const CONTENT_BOTTOM = PAGE.height - PAGE.margin - PAGE.footer;

/** Colour plus a text label everywhere: the charts stay readable printed in black and white. */
export const STATUS_COLOURS: Record<string, string> = {
  error: "#b3261e",
  warning: "#9a6700",
  ok: "#1a7f37",
  none: "#6e7781",
};
export const EXPIRY_COLOURS: Record<string, string> = {
  expired: "#b3261e",
  d7: "#cf222e",
  d30: "#bc4c00",
  d60: "#9a6700",
  d90: "#4d7c0f",
  later: "#1a7f37",
  none: "#6e7781",
};

type Doc = InstanceType<typeof PDFDocument>;

/** Room for `height` more points on this page, or a fresh page (with `onNewPage` drawn first). */
export function ensureRoom(doc: Doc, height: number, onNewPage?: () => void): void {
  if (doc.y + height <= CONTENT_BOTTOM) return;
  doc.addPage();
  onNewPage?.();
}

export interface Column {
  label: string;
  width: number;
}

/** One table line: cells clipped to their column, all on the same baseline. */
export function tableLine(
  doc: Doc,
  columns: readonly Column[],
  cells: readonly string[],
  bold = false,
): void {
  const y = doc.y;
  let x = PAGE.margin;
  let height = 0;
  doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8);
  for (const [index, column] of columns.entries()) {
    const text = cells[index] ?? "";
    const options = { width: column.width - 6, lineBreak: true, height: 30, ellipsis: true } as const;
    height = Math.max(height, doc.heightOfString(text, options));
    doc.text(text, x, y, options);
    x += column.width;
  }
  doc.x = PAGE.margin;
  doc.y = y + height + 3;
}

/** A labelled horizontal bar chart: label, bar (length ∝ value), value. */
export function barChart(
  doc: Doc,
  title: string,
  bars: readonly { label: string; value: number; colour: string }[],
): void {
  const labelWidth = 110;
  const valueWidth = 50;
  const barMax = CONTENT_WIDTH - labelWidth - valueWidth;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  ensureRoom(doc, 20 + bars.length * 16);
  doc.font("Helvetica-Bold").fontSize(11).text(title, PAGE.margin, doc.y);
  doc.moveDown(0.3);
  for (const bar of bars) {
    const y = doc.y;
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor("#000000")
      .text(bar.label, PAGE.margin, y + 1, { width: labelWidth - 6 });
    const length = bar.value === 0 ? 0 : Math.max(2, (bar.value / max) * barMax);
    doc.rect(PAGE.margin + labelWidth, y, length, 11).fill(bar.colour);
    doc.fillColor("#000000").text(String(bar.value), PAGE.margin + labelWidth + length + 4, y + 1, {
      width: valueWidth,
    });
    doc.x = PAGE.margin;
    doc.y = y + 16;
  }
  doc.moveDown(0.5);
}

/** Writes the footer of the current page without moving the cursor or adding a page. */
export function footer(doc: Doc, pageNumber: number, sha256: string): void {
  const { x, y } = doc;
  const bottom = doc.page.margins.bottom;
  // Text below the bottom margin would make pdfkit start another page: lift the margin meanwhile.
  doc.page.margins.bottom = 0;
  doc
    .font("Helvetica")
    .fontSize(7)
    .fillColor("#444444")
    .text(`Page ${pageNumber}  ·  SHA-256 ${sha256}`, PAGE.margin, PAGE.height - PAGE.margin, {
      width: CONTENT_WIDTH,
      align: "center",
      lineBreak: false,
    });
  doc.page.margins.bottom = bottom;
  doc.fillColor("#000000");
  doc.x = x;
  doc.y = y;
}
