import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One e-mail as the in-test SMTP server received it. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The raw message with headers unfolded and quoted-printable soft breaks removed. */
  raw: string;
}

/** A real SMTP server on 127.0.0.1 (random port) that keeps every message it is given. */
export async function startSmtpServer(): Promise<{
  url: string;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks)
          .toString("utf8")
          .replace(/\r\n[ \t]+/g, " ")
          .replace(/=\r\n/g, "");
        mails.push({
          to: session.envelope.rcptTo.map((address) => address.address),
          subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? "",
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedHook {
  path: string;
  delivery: string;
  timestamp: string;
  body: { deliveryId: string; event: string; items: Record<string, unknown>[] };
  /** The status the receiver answered. */
  answered: number;
}

/**
 * A real HTTP webhook receiver: verifies X-Certfleet-Signature (over the timestamp and body) with
 * the secret registered for the path (answering 401 on a bad one), and fails the next N requests
 * of a path when told to.
 */
export async function startWebhookReceiver() {
  const secrets = new Map<string, string>();
  const failNext = new Map<string, number>();
  const received: ReceivedHook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const path = request.url ?? "/";
      const secret = secrets.get(path) ?? "";
      // The signature covers "<timestamp>.<body>" (docs/notifications.md).
      const timestamp = String(request.headers["x-certfleet-timestamp"] ?? "");
      const expected = Buffer.from(
        `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(raw).digest("hex")}`,
      );
      const given = Buffer.from(String(request.headers["x-certfleet-signature"] ?? ""));
      const signed = given.length === expected.length && timingSafeEqual(given, expected);
      const failures = failNext.get(path) ?? 0;
      if (failures > 0) failNext.set(path, failures - 1);
      const answered = !signed ? 401 : failures > 0 ? 503 : 204;
      received.push({
        path,
        delivery: String(request.headers["x-certfleet-delivery"] ?? ""),
        timestamp: String(request.headers["x-certfleet-timestamp"] ?? ""),
        body: JSON.parse(raw.toString("utf8")),
        answered,
      });
      response.statusCode = answered;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    secrets,
    failNext,
    received,
    /** Requests this path answered with 2xx. */
    delivered: (path: string) => received.filter((hook) => hook.path === path && hook.answered === 204),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
