import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HTTP_TIMEOUTS } from "../src/app";
import { createTestApp, type TestApp } from "./support/app";

/**
 * Slow and stalled clients are cut off: a raw socket that never finishes its body, one that dribbles
 * its headers, one that sends nothing. The limits are shortened for the test (the production values
 * are checked at the end); Node looks for overdue requests every checkIntervalMs.
 */
const TIMEOUTS = { requestMs: 1_200, headersMs: 600, connectionMs: 2_500, checkIntervalMs: 100 };
/** Scheduling slack on a busy 2-core machine. */
const SLACK_MS = 1_500;

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await createTestApp({}, { httpTimeouts: TIMEOUTS });
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  port = address.port;
});
afterAll(async () => t?.close());

interface Outcome {
  /** Milliseconds from connecting until the server closed the socket. */
  closedAfterMs: number;
  /** Everything the server sent before closing. */
  received: string;
}

/** Opens a raw TCP connection, lets `behave` write to it, and waits (bounded) for the server to close it. */
function rawClient(behave: (socket: Socket) => void, giveUpMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: "127.0.0.1", port });
    let received = "";
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("error", () => {}); // a reset is a close too
    socket.on("close", () => {
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
    socket.on("connect", () => behave(socket));
  });
}

describe("HTTP timeouts", () => {
  it("answers 408 and closes a request whose body never finishes", async () => {
    const outcome = await rawClient(
      (socket) => {
        socket.write(
          "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
        );
      },
      TIMEOUTS.requestMs + SLACK_MS * 2,
    );
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408/);
    // Not before the limit: honest slow uploads get their time.
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 100);
  });

  it("cuts off a client that dribbles its headers (slowloris), though it never goes quiet", async () => {
    let timer: NodeJS.Timeout | undefined;
    const outcome = await rawClient(
      (socket) => {
        socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\n");
        let n = 0;
        // A header line every 100 ms keeps the socket busy, so only the headers deadline can end it.
        timer = setInterval(() => {
          if (socket.writable && n < 100) socket.write(`X-Slow-${n++}: ${"a".repeat(10)}\r\n`);
        }, 100);
      },
      TIMEOUTS.headersMs + SLACK_MS * 2,
    ).finally(() => clearInterval(timer));
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408/);
    expect(outcome.closedAfterMs).toBeLessThan(TIMEOUTS.requestMs + SLACK_MS);
  });

  it("closes a connection that sends nothing at all", async () => {
    const outcome = await rawClient(() => {}, TIMEOUTS.connectionMs + SLACK_MS * 2);
    expect(outcome.closedAfterMs).toBeLessThan(TIMEOUTS.connectionMs + SLACK_MS);
  });

  it("closes a connection that goes quiet halfway through a request, even with no request deadline", async () => {
    // Only the socket's inactivity limit is left to act here: no request or headers deadline.
    const quiet = await createTestApp(
      {},
      { httpTimeouts: { requestMs: 0, headersMs: 0, connectionMs: 800, checkIntervalMs: 100 } },
    );
    try {
      await quiet.app.listen({ host: "127.0.0.1", port: 0 });
      const address = quiet.app.server.address();
      if (!address || typeof address === "string") throw new Error("not listening");
      const started = Date.now();
      const socket = connect({ host: "127.0.0.1", port: address.port });
      socket.on("error", () => {});
      socket.on("connect", () => socket.write("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"));
      const closedAfterMs = await new Promise<number>((resolve, reject) => {
        const giveUp = setTimeout(
          () => {
            socket.destroy();
            reject(new Error("the quiet connection was kept open"));
          },
          800 + SLACK_MS * 2,
        );
        socket.on("close", () => {
          clearTimeout(giveUp);
          resolve(Date.now() - started);
        });
      });
      expect(closedAfterMs).toBeGreaterThanOrEqual(700);
    } finally {
      await quiet.close();
    }
  });

  it("still serves ordinary requests, on a kept-alive connection too", async () => {
    for (let n = 0; n < 2; n++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(response.status).toBe(200);
    }
  });

  it("does not cut a quiet live stream: WebSockets are not subject to the connection timeout", async () => {
    const cookie = (await t.as("viewer")).headers.cookie;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream`, { headers: { cookie } });
    let closed = false;
    socket.on("close", () => {
      closed = true;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    // Twice the connection timeout with nothing to send (the stream's own ping is 25 s away).
    await new Promise((resolve) => setTimeout(resolve, TIMEOUTS.connectionMs * 2));
    expect(closed).toBe(false);
    socket.close();
  });

  it("uses limits far above what an honest client needs, and below Node's unbounded default", () => {
    expect(HTTP_TIMEOUTS.headersMs).toBeLessThanOrEqual(HTTP_TIMEOUTS.requestMs);
    expect(HTTP_TIMEOUTS.requestMs).toBeGreaterThanOrEqual(60_000);
    expect(HTTP_TIMEOUTS.connectionMs).toBeGreaterThan(30_000); // the longest database statement
    expect(t.app.server.requestTimeout).toBe(TIMEOUTS.requestMs);
    expect(t.app.server.headersTimeout).toBe(TIMEOUTS.headersMs);
    expect(t.app.server.timeout).toBe(TIMEOUTS.connectionMs);
  });
});
