import { createHmac } from "node:crypto";
import nodemailer from "nodemailer";
import type { NotificationsConfig } from "../../config";
import type { RenderedEmail, WebhookBody } from "./messages";

const WEBHOOK_TIMEOUT_MS = 10_000;
const SMTP_TIMEOUT_MS = 15_000;

/** Raised by a transport when a message did not arrive; the message is what history shows. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** Comma-separated addresses as stored in a channel's target. */
export function recipientsOf(target: string): string[] {
  return target
    .split(",")
    .map((address) => address.trim())
    .filter(Boolean);
}

/** Sends one e-mail; the answer is the SMTP server's message id. */
export async function sendEmail(
  smtp: NonNullable<NotificationsConfig["smtp"]>,
  to: string[],
  email: RenderedEmail,
): Promise<string> {
  // A transport per message: runs are hourly at most, and no idle SMTP connection outlives a run.
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to, ...email });
    return String(info.messageId ?? "");
  } catch (error) {
    // nodemailer's messages can quote the connection URL; keep only what cannot hold the password.
    const code = (error as { code?: unknown }).code;
    const response = (error as { response?: unknown }).response;
    throw new DeliveryError(
      `SMTP: ${typeof response === "string" ? response : typeof code === "string" ? code : "sending failed"}`,
    );
  } finally {
    transport.close();
  }
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the channel secret. */
export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

/** POSTs the signed JSON; anything but a 2xx within the timeout is a failed attempt. */
export async function postWebhook(url: string, secret: string, body: WebhookBody): Promise<void> {
  const rawBody = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "certfleet-notifications",
        "x-certfleet-signature": webhookSignature(secret, rawBody),
        "x-certfleet-delivery": body.deliveryId,
        "x-certfleet-timestamp": String(Math.floor(Date.parse(body.sentAt) / 1000)),
      },
      body: rawBody,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
    throw new DeliveryError(`webhook: ${reason || "request failed"}`);
  }
  // Drain the body so the connection is released; its content is not ours to keep.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status > 299)
    throw new DeliveryError(`webhook: HTTP ${response.status}`);
}
