import { createHmac } from "node:crypto";
import type { LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import nodemailer from "nodemailer";
import type { NotificationsConfig, WebhookAllowList } from "../../config";
import type { RenderedEmail, WebhookBody } from "./messages";
import { addressRefusal, bareHost, type Resolver, systemResolver } from "./webhook-address";

const WEBHOOK_TIMEOUT_MS = 10_000;
/** How much of a webhook's answer is read at most (its content is ignored). */
export const WEBHOOK_RESPONSE_CAP = 16 * 1024;
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

/**
 * `sha256=<hex>`: HMAC-SHA256, with the channel secret, of `<timestamp>.<raw body>`. The timestamp
 * is signed too, so a receiver that rejects old timestamps cannot be fed a replayed delivery with a
 * fresh X-Certfleet-Timestamp.
 */
export function webhookSignature(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`, "utf8").digest("hex")}`;
}

export interface WebhookOptions {
  allow: WebhookAllowList;
  /** The resolver the connection uses; tests swap in one that answers what a rebinding DNS would. */
  resolve?: Resolver;
  timeoutMs?: number;
}

/**
 * POSTs the signed JSON; anything but a 2xx within the timeout is a failed attempt. The address
 * is checked where the connection is made (the resolver the socket uses answers only permitted
 * addresses), so a host name that resolves to a local address — now, or after a DNS change since
 * the channel was saved — is never reached. Redirects are not followed, and at most
 * WEBHOOK_RESPONSE_CAP bytes of the answer are read. Failures say what kind, never what the
 * network said (that would make the API a port scanner's oracle).
 */
export async function postWebhook(
  target: string,
  secret: string,
  body: WebhookBody,
  options: WebhookOptions,
): Promise<void> {
  const rawBody = JSON.stringify(body);
  const timestamp = Math.floor(Date.parse(body.sentAt) / 1000);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new DeliveryError("webhook: the URL is invalid");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new DeliveryError("webhook: the URL must be http(s)");
  const host = bareHost(url.hostname);
  if (isIP(host) !== 0) refuseUnless(addressRefusal(url, host, options.allow));
  const status = await send(
    url,
    host,
    rawBody,
    {
      "content-type": "application/json",
      "user-agent": "certfleet-notifications",
      "x-certfleet-signature": webhookSignature(secret, timestamp, rawBody),
      "x-certfleet-delivery": body.deliveryId,
      "x-certfleet-timestamp": String(timestamp),
    },
    options,
  );
  if (status >= 300 && status <= 399)
    throw new DeliveryError(`webhook: HTTP ${status} (redirects are not followed)`);
  if (status < 200 || status > 299) throw new DeliveryError(`webhook: HTTP ${status}`);
}

function refuseUnless(refusal: ReturnType<typeof addressRefusal>): void {
  if (refusal === "not-allowed-address")
    throw new DeliveryError("webhook: the target address is not allowed (see CERTFLEET_WEBHOOK_ALLOW)");
  if (refusal === "https-required") throw new DeliveryError("webhook: the target must use https");
}

/** Raised inside the resolver so the request fails with the refusal, not a network error. */
class RefusedAddress extends Error {
  constructor(readonly refusal: NonNullable<ReturnType<typeof addressRefusal>>) {
    super(refusal);
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function send(
  url: URL,
  host: string,
  rawBody: string,
  headers: Record<string, string>,
  options: WebhookOptions,
): Promise<number> {
  const resolve = options.resolve ?? systemResolver;
  // net calls this for host names (never for IP literals, checked above) and connects only to
  // what it answers: the permitted addresses among those the name resolves to.
  const guardedLookup = (hostname: string, lookupOptions: { all?: boolean }, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const refusals = addresses.map((entry) => addressRefusal(url, entry.address, options.allow));
        const permitted = addresses.filter((_, index) => refusals[index] === null);
        const first = permitted[0];
        if (!first) {
          const refusal = refusals.find((reason) => reason !== null) ?? "not-allowed-address";
          callback(new RefusedAddress(refusal), "");
        } else if (lookupOptions.all) callback(null, permitted);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<number>((settle, fail) => {
    let done = false;
    const finish = (error: Error | null, status = 0) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      outgoing.destroy();
      if (error) fail(error);
      else settle(status);
    };
    const outgoing = request(
      {
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(rawBody) },
        // A connection of its own (no pooled socket to another address), and no proxy variables.
        agent: false,
        lookup: guardedLookup as unknown as LookupFunction,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          // The answer is not ours to keep: stop reading once past the cap.
          if (read > WEBHOOK_RESPONSE_CAP) finish(null, status);
        });
        response.on("end", () => finish(null, status));
        response.on("error", () => finish(null, status));
        response.on("close", () => finish(null, status));
      },
    );
    const timer = setTimeout(
      () => finish(new DeliveryError("webhook: no answer in time")),
      options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
    );
    outgoing.on("error", (error) => {
      if (error instanceof RefusedAddress) {
        try {
          refuseUnless(error.refusal);
        } catch (refused) {
          finish(refused as Error);
        }
        return;
      }
      finish(new DeliveryError("webhook: the request failed (connection or TLS error)"));
    });
    outgoing.end(rawBody);
  });
}
