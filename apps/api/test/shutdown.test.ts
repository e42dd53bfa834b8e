import http from "node:http";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildApp } from "../src/app";
import { closeGracefully } from "../src/shutdown";
import { createTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An API instance on the test database with one deliberately slow route, listening on a free port. */
async function serverWithSlowRoute(slowMs: number): Promise<{ app: FastifyInstance; port: number }> {
  const app = await buildApp({ config: t.app.config, db: t.db, databaseUrl: t.databaseUrl });
  app.get("/test/slow", { config: { access: "public" } }, async () => {
    await sleep(slowMs);
    return { finished: true };
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  return { app, port: address.port };
}

/** A GET on a fresh connection (no keep-alive pool), resolving with status and body or rejecting. */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

describe("graceful shutdown", () => {
  it("lets an in-flight request finish, refuses new connections, and closes WebSockets with 1001", async () => {
    const { app, port } = await serverWithSlowRoute(800);
    const viewer = await t.as("viewer");
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream`, {
      headers: { cookie: viewer.headers.cookie },
    });
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));

    const slow = get(port, "/test/slow");
    await sleep(150); // the slow request is being handled
    const closing = closeGracefully(app, 5_000);
    await sleep(50);
    await expect(get(port, "/api/health")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(await closed).toBe(1001);

    const answer = await slow;
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ finished: true }) });
    expect(await closing).toEqual({ forced: false });
  });

  it("cuts requests still running at the deadline so shutdown cannot hang", async () => {
    const { app, port } = await serverWithSlowRoute(10_000);
    // Settled at once so the expected failure is never an unhandled rejection.
    const slow = get(port, "/test/slow").then(
      (answer) => answer,
      (error: unknown) => error,
    );
    await sleep(150);
    const started = Date.now();
    const outcome = await closeGracefully(app, 300);
    expect(outcome).toEqual({ forced: true });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await slow).toMatchObject({ code: "ECONNRESET" });
  });
});
