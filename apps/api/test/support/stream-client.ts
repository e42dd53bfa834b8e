import type { StreamMessage } from "@certfleet/contracts";
import type { FastifyInstance } from "fastify";
import WebSocket, { type ClientOptions } from "ws";

export interface StreamTestClient {
  socket: WebSocket;
  messages: StreamMessage[];
  /** Resolves with the close code and reason once the server's close (or a cut) reaches us. */
  closed: Promise<{ code: number; reason: string }>;
  next: (match: (message: StreamMessage) => boolean, timeoutMs?: number) => Promise<StreamMessage>;
}

export interface StreamRequest {
  cookie?: string;
  origin?: string;
  since?: number;
  options?: ClientOptions;
}

export function streamUrl(app: FastifyInstance, since?: number): string {
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  return `ws://127.0.0.1:${address.port}/api/v1/stream${since === undefined ? "" : `?since=${since}`}`;
}

function headersOf(request: StreamRequest): Record<string, string> {
  return {
    ...(request.cookie ? { cookie: request.cookie } : {}),
    ...(request.origin ? { origin: request.origin } : {}),
  };
}

/** Opens a real WebSocket to a listening app and records what it hears. */
export async function openStream(app: FastifyInstance, request: StreamRequest): Promise<StreamTestClient> {
  const socket = new WebSocket(streamUrl(app, request.since), {
    ...request.options,
    headers: headersOf(request),
  });
  const messages: StreamMessage[] = [];
  const waiters: { match: (m: StreamMessage) => boolean; resolve: (m: StreamMessage) => void }[] = [];
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as StreamMessage;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  socket.on("error", () => {}); // a cut connection also ends in "close", which `closed` reports
  const next = (match: (m: StreamMessage) => boolean, timeoutMs = 5000) =>
    new Promise<StreamMessage>((resolve, reject) => {
      const found = messages.find(match);
      if (found) return resolve(found);
      waiters.push({ match, resolve });
      setTimeout(
        () => reject(new Error(`no matching message in ${timeoutMs} ms: ${JSON.stringify(messages)}`)),
        timeoutMs,
      );
    });
  return { socket, messages, closed, next };
}

/** The HTTP answer to an upgrade the server refuses (101 when it accepts). */
export async function upgradeStatus(
  app: FastifyInstance,
  request: StreamRequest,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(streamUrl(app, request.since), { headers: headersOf(request) });
    socket.on("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    socket.on("open", () => {
      socket.close();
      resolve({ status: 101, headers: {}, body: "" });
    });
    socket.on("error", (error) => {
      if (!error.message.startsWith("Unexpected server response")) reject(error);
    });
  });
}

/** Polls until `check` holds (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
