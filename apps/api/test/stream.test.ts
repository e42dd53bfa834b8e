import type { StreamMessage, Summary } from "@certfleet/contracts";
import { createDatabaseClient } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildApp } from "../src/app";
import { createTestApp, type TestApp } from "./support/app";
import { postHost } from "./support/estate";
import { createPki, type Pki } from "./support/reports";
import { openStream } from "./support/stream-client";

let t: TestApp;
let pki: Pki;
let second: FastifyInstance;
const closers: (() => Promise<void>)[] = [];

/** A stream client (test/support/stream-client.ts) as the viewer, closed after the file. */
async function connect(app: FastifyInstance, since?: number) {
  const client = await openStream(app, { cookie: viewerCookie, since });
  closers.push(async () => client.socket.close());
  return client;
}

const updatedFor = (fqdn: string) => (m: StreamMessage) => m.type === "host.updated" && m.host.fqdn === fqdn;

let viewerCookie = "";

beforeAll(async () => {
  // A long summary cache: the push must invalidate it, not time.
  [t, pki] = await Promise.all([createTestApp({ CERTFLEET_SUMMARY_MAX_AGE_MS: "60000" }), createPki()]);
  viewerCookie = (await t.as("viewer")).headers.cookie;
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  // A second API instance on the same database, as behind a load balancer.
  second = await buildApp({
    config: t.app.config,
    db: createDatabaseClient(t.databaseUrl, 2),
    databaseUrl: t.databaseUrl,
  });
  await second.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  for (const close of closers) await close();
  await second?.close();
  await t?.close();
});

describe("GET /api/v1/stream", () => {
  it("says hello, then pushes the host's new list row when its report is accepted", async () => {
    const client = await connect(t.app);
    const hello = await client.next((m) => m.type === "hello");
    const started = Date.now();
    await postHost(t, pki, { fqdn: "live01.contoso.com", expiresInDays: -1 });
    const update = await client.next(updatedFor("live01.contoso.com"));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(update).toMatchObject({
      type: "host.updated",
      host: { fqdn: "live01.contoso.com", status: "error" },
    });
    if (hello.type !== "hello" || update.type !== "host.updated") throw new Error("unexpected message types");
    expect(update.id).toBeGreaterThan(hello.lastEventId);
  });

  it("replays what a client missed when it reconnects with since=<last id>", async () => {
    const first = await connect(t.app);
    const hello = await first.next((m) => m.type === "hello");
    if (hello.type !== "hello") throw new Error("no hello");
    first.socket.close();
    for (const n of [1, 2, 3]) await postHost(t, pki, { fqdn: `missed${n}.contoso.com` });
    const again = await connect(t.app, hello.lastEventId);
    await again.next(updatedFor("missed3.contoso.com"));
    const replayed = again.messages
      .filter((m) => m.type === "host.updated")
      .map((m) => (m.type === "host.updated" ? m : null));
    expect(replayed.map((m) => m?.host.fqdn)).toEqual([
      "missed1.contoso.com",
      "missed2.contoso.com",
      "missed3.contoso.com",
    ]);
    const ids = replayed.map((m) => m?.id ?? 0);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("tells a client that missed too much to resync instead of replaying", async () => {
    // 600 changes land at once (as from a batch); a watcher sees the hub take them in.
    const watcher = await connect(t.app);
    const host = await t.db.host.findFirstOrThrow({ select: { id: true } });
    await t.db.changeEvent.createMany({
      data: Array.from({ length: 600 }, () => ({ type: "host.updated", hostId: host.id })),
    });
    await t.db.$executeRaw`SELECT pg_notify('certfleet_changes', '')`;
    const head = Number((await t.db.changeEvent.aggregate({ _max: { id: true } }))._max.id);
    await watcher.next((m) => m.type === "host.updated" && m.id === head);
    const client = await connect(t.app, 0);
    await client.next((m) => m.type === "resync");
    expect(client.messages.filter((m) => m.type === "host.updated")).toHaveLength(0);
  });

  it("a report posted to one API instance reaches a client connected to the other", async () => {
    const client = await connect(second);
    await client.next((m) => m.type === "hello");
    await postHost(t, pki, { fqdn: "crossover.contoso.com" }); // posted to the first instance
    await client.next(updatedFor("crossover.contoso.com"));
  });

  it("pushes task.updated when a report opens a renewal task and when a lead assigns it", async () => {
    const client = await connect(t.app);
    await client.next((m) => m.type === "hello");
    const taskFor = (fqdn: string) => (m: StreamMessage) => m.type === "task.updated" && m.hostFqdn === fqdn;
    await postHost(t, pki, { fqdn: "tasklive.contoso.com", expiresInDays: 5 });
    const created = await client.next(taskFor("tasklive.contoso.com"));
    if (created.type !== "task.updated") throw new Error("unexpected message type");
    const lead = await t.as("lead");
    const operator = await t.as("operator");
    const assigned = await t.app.inject({
      method: "POST",
      url: `/api/v1/tasks/${created.taskId}/transitions`,
      headers: lead.headers,
      payload: { action: "assign", version: 1, assigneeId: operator.userId },
    });
    expect(assigned.statusCode).toBe(200);
    const pushed = await client.next(
      (m) => m.type === "task.updated" && m.hostFqdn === "tasklive.contoso.com" && m.id > created.id,
    );
    expect(pushed).toMatchObject({ type: "task.updated", taskId: created.taskId });
  });

  it("refuses a connection without a session before upgrading", async () => {
    const address = t.app.server.address();
    if (!address || typeof address === "string") throw new Error("not listening");
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${address.port}/api/v1/stream`);
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
    });
    expect(status).toBe(401);
  });

  it("never answers the refetch a push triggers with a summary computed before the change", async () => {
    const client = await connect(t.app);
    await client.next((m) => m.type === "hello");
    const before = (await t.get("/api/v1/summary")).json<Summary>();
    await postHost(t, pki, { fqdn: "summary-fresh.contoso.com", expiresInDays: -2 });
    await client.next(updatedFor("summary-fresh.contoso.com"));
    const after = (await t.get("/api/v1/summary")).json<Summary>();
    const errors = (summary: Summary) => summary.byStatus.find((count) => count.key === "error")?.count ?? 0;
    expect(errors(after)).toBe(errors(before) + 1);
  });

  it("refuses a malformed since with a 400 before upgrading", async () => {
    const response = await t.get("/api/v1/stream?since=abc");
    expect(response.statusCode).toBe(400);
  });
});
