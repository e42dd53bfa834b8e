import type { NotificationKind } from "@certfleet/contracts";
import { formatDay } from "@certfleet/core";

/**
 * What one NotificationSent row says, stored as its `payload`: a message is rendered from its rows'
 * items, so a retry days later sends exactly what was decided, and history can show it.
 */
export type NotificationItem = ExpiryItem | NewErrorItem | TestItem;

export interface ExpiryItem {
  type: "expiry";
  host: string;
  role: string;
  certificateSha256: string;
  serialNumber: string;
  notAfter: string;
  daysLeft: number;
  expired: boolean;
  thresholdDays: number;
  /** Larger thresholds this warning stands for (crossed since the last run). */
  covers: number[];
  url: string;
}

export interface NewErrorItem {
  type: "new-error";
  host: string;
  role: string;
  certificateSha256: string | null;
  ruleId: string;
  message: string;
  url: string;
}

export interface TestItem {
  type: "test";
  message: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The JSON a webhook receives (signed: see docs/notifications.md). */
export interface WebhookBody {
  deliveryId: string;
  event: "expiry" | "digest" | "new-error" | "test";
  sentAt: string;
  channel: { id: number; name: string };
  items: NotificationItem[];
}

export function hostUrl(publicUrl: string, fqdn: string): string {
  return `${publicUrl}/hosts/${encodeURIComponent(fqdn)}`;
}

/** The webhook event of a message, from the kinds of the rows it delivers. */
export function eventOf(kinds: readonly NotificationKind[], digest: boolean): WebhookBody["event"] {
  if (kinds.includes("test")) return "test";
  if (digest || kinds.includes("digest")) return "digest";
  return kinds.includes("new-error") ? "new-error" : "expiry";
}

function daysLeftText(item: ExpiryItem): string {
  if (item.expired) return `expired on ${formatDay(item.notAfter)}`;
  if (item.daysLeft === 0) return "expires today";
  return `expires in ${item.daysLeft} day${item.daysLeft === 1 ? "" : "s"}`;
}

/** One line per item, for history and for the plain-text e-mail. */
export function summarize(item: NotificationItem): string {
  switch (item.type) {
    case "expiry":
      return `${item.host}: certificate ${daysLeftText(item)} (${item.thresholdDays}-day warning)`;
    case "new-error":
      return `${item.host}: new error ${item.ruleId}: ${item.message}`;
    case "test":
      return item.message;
  }
}

/** Reads a stored payload back (rows are written only by this module, so a shape check suffices). */
export function itemFrom(payload: unknown): NotificationItem {
  const type = (payload as { type?: unknown } | null)?.type;
  if (type === "expiry" || type === "new-error" || type === "test") return payload as NotificationItem;
  return { type: "test", message: "(unreadable notification payload)" };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function subjectOf(
  items: readonly NotificationItem[],
  event: WebhookBody["event"],
  channelName: string,
): string {
  const [first] = items;
  if (event === "test" || !first) return `[certfleet] Test message for ${channelName}`;
  if (items.length === 1) {
    if (first.type === "expiry") return `[certfleet] ${first.host}: SCOM certificate ${daysLeftText(first)}`;
    if (first.type === "new-error") return `[certfleet] ${first.host}: new error (${first.ruleId})`;
  }
  const expiring = items.filter((item) => item.type === "expiry").length;
  const errors = items.filter((item) => item.type === "new-error").length;
  const parts = [
    expiring ? `${expiring} certificate${expiring === 1 ? "" : "s"} expiring` : "",
    errors ? `${errors} new error${errors === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return `[certfleet] Digest: ${parts.join(", ")}`;
}

const EXPIRY_COLUMNS = ["Host", "Role", "Serial", "Expires", "Days left", "Warning"];

function expiryCells(item: ExpiryItem): string[] {
  return [
    item.host,
    item.role,
    item.serialNumber,
    formatDay(item.notAfter),
    item.expired ? "expired" : String(item.daysLeft),
    `${item.thresholdDays} days`,
  ];
}

function htmlTable(columns: string[], rows: { cells: string[]; url: string }[]): string {
  const head = columns.map((column) => `<th align="left">${escapeHtml(column)}</th>`).join("");
  const body = rows
    .map(
      ({ cells, url }) =>
        `<tr>${cells
          .map((cell, index) =>
            index === 0
              ? `<td><a href="${escapeHtml(url)}">${escapeHtml(cell)}</a></td>`
              : `<td>${escapeHtml(cell)}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("");
  return `<table cellpadding="4" cellspacing="0" border="1"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Plain text plus a simple HTML body: one certificate, or a digest table. */
export function renderEmail(
  items: readonly NotificationItem[],
  event: WebhookBody["event"],
  channelName: string,
): RenderedEmail {
  const subject = subjectOf(items, event, channelName);
  const expiry = items.filter((item): item is ExpiryItem => item.type === "expiry");
  const errors = items.filter((item): item is NewErrorItem => item.type === "new-error");
  const text: string[] = [];
  const html: string[] = [];
  for (const item of items.filter((item) => item.type === "test")) {
    text.push(summarize(item));
    html.push(`<p>${escapeHtml(summarize(item))}</p>`);
  }
  if (expiry.length === 1 && errors.length === 0) {
    const [item] = expiry as [ExpiryItem];
    const lines: [string, string][] = [
      ["Host", item.host],
      ["Role", item.role],
      ["Serial", item.serialNumber],
      ["Expires", `${formatDay(item.notAfter)} (${daysLeftText(item)})`],
      ["Warning", `${item.thresholdDays} days before expiry`],
      ["Host page", item.url],
    ];
    text.push(`The SCOM channel certificate of ${item.host} ${daysLeftText(item)}.`, "");
    text.push(...lines.map(([label, value]) => `${label}: ${value}`));
    html.push(
      `<p>The SCOM channel certificate of <strong>${escapeHtml(item.host)}</strong> ${escapeHtml(daysLeftText(item))}.</p>`,
      `<table cellpadding="4" cellspacing="0">${lines
        .map(([label, value]) =>
          label === "Host page"
            ? `<tr><th align="left">${label}</th><td><a href="${escapeHtml(value)}">${escapeHtml(value)}</a></td></tr>`
            : `<tr><th align="left">${label}</th><td>${escapeHtml(value)}</td></tr>`,
        )
        .join("")}</table>`,
    );
  } else if (expiry.length > 0) {
    text.push(
      `${expiry.length} SCOM channel certificate${expiry.length === 1 ? "" : "s"} need renewing:`,
      "",
    );
    text.push(...expiry.map((item) => `- ${expiryCells(item).join(" | ")} | ${item.url}`));
    html.push(
      `<p>${expiry.length} SCOM channel certificate${expiry.length === 1 ? "" : "s"} need renewing:</p>`,
      htmlTable(
        EXPIRY_COLUMNS,
        expiry.map((item) => ({ cells: expiryCells(item), url: item.url })),
      ),
    );
  }
  if (errors.length > 0) {
    text.push("", "New error findings:", "");
    text.push(
      ...errors.map((item) => `- ${item.host} (${item.role}): ${item.ruleId}: ${item.message} | ${item.url}`),
    );
    html.push(
      "<p>New error findings:</p>",
      htmlTable(
        ["Host", "Role", "Rule", "Finding"],
        errors.map((item) => ({ cells: [item.host, item.role, item.ruleId, item.message], url: item.url })),
      ),
    );
  }
  text.push("", "— certfleet");
  return {
    subject,
    text: text.join("\n"),
    html: `<!doctype html><html><body>${html.join("")}</body></html>`,
  };
}
