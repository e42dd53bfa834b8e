import { STREAM_CLOSE } from "@certfleet/contracts";
import { createDatabaseClient } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildApp } from "../src/app";
import type { StreamClient, StreamFrame } from "../src/services/change-hub";
import { allowedStreamOrigins, streamOriginAllowed } from "../src/services/stream-origins";
import { createTestApp, type TestApp } from "./support/app";
import { postHost } from "./support/estate";
import { createPki, type Pki } from "./support/reports";
import {
  eventually,
  openStream,
  type StreamTestClient,
  streamUrl,
  upgradeStatus,
} from "./support/stream-client";

const PUBLIC_URL = "https://certfleet.contoso.com";

let t: TestApp;
let pki: Pki;
/** A second instance on the same database with tiny caps: 2 streams per session, 3 per instance. */
let capped: FastifyInstance;
let viewer = "";
let operator = "";
let lead = "";
const opened: StreamTestClient[] = [];

async function open(app: FastifyInstance, cookie: string, origin?: string): Promise<StreamTestClient> {
  const client = await openStream(app, { cookie, ...(origin ? { origin } : {}) });
  opened.push(client);
  await client.next((m) => m.type === "hello");
  return client;
}

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp({ CERTFLEET_PUBLIC_URL: PUBLIC_URL }), createPki()]);
  const cookieOf = async (role: "viewer" | "operator" | "lead") => (await t.as(role)).headers.cookie;
  viewer = await cookieOf("viewer");
  operator = await cookieOf("operator");
  lead = await cookieOf("lead");
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  capped = await buildApp(
    { config: t.app.config, db: createDatabaseClient(t.databaseUrl, 2), databaseUrl: t.databaseUrl },
    { stream: { maxPerSession: 2, maxPerInstance: 3 } },
  );
  await capped.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  for (const client of opened) client.socket.terminate();
  await capped?.close();
  await t?.close();
});

describe("stream Origin check", () => {
  it("refuses a page from another origin with 403 before upgrading, even with a valid session", async () => {
    for (const origin of ["https://evil.example", "https://certfleet.contoso.com.evil.example", "null"]) {
      const refused = await upgradeStatus(t.app, { cookie: viewer, origin });
      expect(refused.status, origin).toBe(403);
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 403, errors: [{ field: "origin" }] });
    }
    // The public URL's own scheme matters: http:// is another origin.
    expect(
      (await upgradeStatus(t.app, { cookie: viewer, origin: "http://certfleet.contoso.com" })).status,
    ).toBe(403);
  });

  it("accepts the web app's public origin", async () => {
    const client = await open(t.app, viewer, PUBLIC_URL);
    expect(client.messages[0]?.type).toBe("hello");
  });

  it("accepts a client that sends no Origin (not a browser), which still needs a session", async () => {
    await open(t.app, viewer);
    expect((await upgradeStatus(t.app, {})).status).toBe(401);
  });

  it("allows loopback aliases only when the public URL is itself on this machine", () => {
    const local = allowedStreamOrigins("http://localhost:3100");
    expect(streamOriginAllowed("http://127.0.0.1:3100", local)).toBe(true);
    expect(streamOriginAllowed("http://[::1]:3100", local)).toBe(true);
    expect(streamOriginAllowed("http://127.0.0.1:3999", local)).toBe(false);
    const remote = allowedStreamOrigins(PUBLIC_URL);
    expect([...remote]).toEqual([PUBLIC_URL]);
    expect(streamOriginAllowed("http://localhost:3000", remote)).toBe(false);
    expect(streamOriginAllowed(`${PUBLIC_URL}/`, remote)).toBe(true);
  });
});

describe("stream caps", () => {
  it("refuses a session's third stream with 429 and the instance's fourth with 503, until one closes", async () => {
    const first = await open(capped, viewer);
    await open(capped, viewer);
    const perSession = await upgradeStatus(capped, { cookie: viewer });
    expect(perSession.status).toBe(429);
    expect(perSession.headers["retry-after"]).toBe("10");
    await open(capped, operator);
    const perInstance = await upgradeStatus(capped, { cookie: lead });
    expect(perInstance.status).toBe(503);
    expect(perInstance.headers["retry-after"]).toBe("10");
    expect(JSON.parse(perInstance.body)).toMatchObject({ title: "Live stream capacity reached" });
    // The other instance has its own capacity.
    await open(t.app, lead);

    first.socket.close();
    await first.closed;
    await eventually(() => capped.streamConnections.size === 2);
    await open(capped, viewer);
  });
});

describe("stream caps under concurrent upgrades", () => {
  it("holds a session to its cap when its upgrades arrive at once", async () => {
    const racing = await buildApp(
      { config: t.app.config, db: createDatabaseClient(t.databaseUrl, 2), databaseUrl: t.databaseUrl },
      { stream: { maxPerSession: 2, maxPerInstance: 100 } },
    );
    await racing.listen({ host: "127.0.0.1", port: 0 });
    const racers: WebSocket[] = [];
    try {
      const outcomes = await Promise.all(
        Array.from(
          { length: 6 },
          () =>
            new Promise<string>((resolve) => {
              const socket = new WebSocket(streamUrl(racing), { headers: { cookie: viewer } });
              socket.on("unexpected-response", (_request, response) =>
                resolve(`http ${response.statusCode}`),
              );
              socket.on("error", () => {});
              socket.on("close", (code) => resolve(`closed ${code}`));
              // Still open a moment after the hello: it holds one of the session's two slots.
              socket.on("message", () => setTimeout(() => resolve("open"), 300));
              racers.push(socket);
            }),
        ),
      );
      // The upgrade hook answers 429; should two upgrades ever pass it before either is counted
      // (no I/O lies between them today), the handler closes the later one with 1008.
      expect(outcomes.filter((outcome) => outcome === "open")).toHaveLength(2);
      for (const outcome of outcomes.filter((o) => o !== "open"))
        expect(["http 429", `closed ${STREAM_CLOSE.overCapacity}`]).toContain(outcome);
      expect(racing.streamConnections.size).toBe(2);
    } finally {
      for (const socket of racers) socket.terminate();
      await racing.close();
    }
  });
});

describe("stream messages", () => {
  it("serialises each event once: every client gets the very same bytes", async () => {
    const received: StreamFrame[][] = [[], [], []];
    const detachers = await Promise.all(
      received.map((frames) => {
        const client: StreamClient = { send: (frame) => frames.push(frame), lastSent: 0 };
        return t.app.changeHub.attach(client, undefined);
      }),
    );
    await postHost(t, pki, { fqdn: "once.contoso.com" });
    const pushed = (frames: StreamFrame[]) =>
      frames.find((frame) => frame.eventId !== null && frame.data.toString().includes("once.contoso.com"));
    await eventually(() => received.every((frames) => pushed(frames) !== undefined));
    const [a, b, c] = received.map(pushed);
    expect(a?.data).toBe(b?.data); // the same Buffer object, not equal copies
    expect(b?.data).toBe(c?.data);
    expect(JSON.parse(String(a?.data))).toMatchObject({
      type: "host.updated",
      host: { fqdn: "once.contoso.com" },
    });
    for (const detach of detachers) detach();
  });

  it("tells a client to resync when the events after its cursor were pruned, rather than replay with a hole", async () => {
    const watcher = await open(t.app, viewer);
    const hello = watcher.messages[0];
    if (hello?.type !== "hello") throw new Error("no hello");
    for (const n of [1, 2, 3]) await postHost(t, pki, { fqdn: `pruned${n}.contoso.com` });
    await watcher.next((m) => m.type === "host.updated" && m.host.fqdn === "pruned3.contoso.com");
    // As the daily prune does: the oldest events go, here everything up to the first of the three.
    await t.db.changeEvent.deleteMany({ where: { id: { lte: BigInt(hello.lastEventId + 1) } } });
    const client = await openStream(t.app, { cookie: viewer, since: hello.lastEventId });
    opened.push(client);
    await client.next((m) => m.type === "resync");
    expect(client.messages.filter((m) => m.type === "host.updated")).toHaveLength(0);
    // A cursor inside what is kept still replays.
    const replay = await openStream(t.app, { cookie: viewer, since: hello.lastEventId + 1 });
    opened.push(replay);
    await replay.next((m) => m.type === "host.updated" && m.host.fqdn === "pruned3.contoso.com");
    expect(replay.messages.some((m) => m.type === "resync")).toBe(false);
  });
});
