import { STREAM_CLOSE, STREAM_RESYNC_REASON, type StreamMessage, type UserRole } from "@certfleet/contracts";
import { createDatabaseClient } from "@certfleet/db";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import type { StreamLimits } from "../src/services/stream-connections";
import { createTestApp, createUser, type SignedIn, signIn, type TestApp } from "./support/app";
import { postHost } from "./support/estate";
import { createPki, type Pki } from "./support/reports";
import { eventually, openStream, type StreamTestClient } from "./support/stream-client";

let t: TestApp;
let pki: Pki;
/** Heartbeat every 150 ms: pongs and sessions are checked several times a second. */
let quick: FastifyInstance;
/** A 16 KiB send buffer and a heartbeat too slow to interfere: only the buffer bound can close. */
let small: FastifyInstance;
let admin: SignedIn;
const clients: StreamTestClient[] = [];

async function instance(limits: Partial<StreamLimits>): Promise<FastifyInstance> {
  const app = await buildApp(
    { config: t.app.config, db: createDatabaseClient(t.databaseUrl, 2), databaseUrl: t.databaseUrl },
    { stream: limits },
  );
  await app.listen({ host: "127.0.0.1", port: 0 });
  return app;
}

async function open(
  app: FastifyInstance,
  cookie: string,
  options?: { autoPong?: boolean },
): Promise<StreamTestClient> {
  const client = await openStream(app, { cookie, ...(options ? { options } : {}) });
  clients.push(client);
  await client.next((m) => m.type === "hello");
  return client;
}

let users = 0;
/** A fresh account and session (ending it must not disturb other tests' sessions). */
async function freshUser(role: UserRole): Promise<SignedIn & { id: number }> {
  users += 1;
  const email = `live${users}@test.certfleet.local`;
  const password = `live-password-${users}`;
  const id = await createUser(t.app, admin, { email, name: `Live ${users}`, role, password });
  return { ...(await signIn(t.app, email, password)), id };
}

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  admin = await t.as("admin");
  quick = await instance({ heartbeatMs: 150 });
  small = await instance({ heartbeatMs: 600_000, maxBufferedBytes: 16 * 1024 });
});
afterAll(async () => {
  for (const client of clients) client.socket.terminate();
  await small?.close();
  await quick?.close();
  await t?.close();
});

describe("a client that stops reading", () => {
  it("is closed with 1013 and told to resync once its send buffer passes the bound", async () => {
    await postHost(t, pki, { fqdn: "flood.contoso.com" });
    const host = await t.db.host.findFirstOrThrow({ where: { fqdn: "flood.contoso.com" } });
    const client = await open(small, (await t.as("viewer")).headers.cookie);
    expect(small.changeHub.clientCount).toBe(1);
    client.socket.pause(); // stop reading: the kernel's buffers fill, then the server's
    // Bursts of 500 events (as from batches) until the server gives up on the client; the kernel
    // absorbs a few MB first, so how many bursts that takes depends on the machine.
    for (let burst = 0; burst < 200 && small.changeHub.clientCount > 0; burst++) {
      await t.db.changeEvent.createMany({
        data: Array.from({ length: 500 }, () => ({ type: "host.updated", hostId: host.id })),
      });
      await t.db.$executeRaw`SELECT pg_notify('certfleet_changes', '')`;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Detached at once: nothing more is queued for it, however much more happens.
    expect(small.changeHub.clientCount).toBe(0);
    client.socket.resume();
    const { code, reason } = await client.closed;
    expect(code).toBe(STREAM_CLOSE.fellBehind);
    expect(reason.startsWith(STREAM_RESYNC_REASON)).toBe(true);
    // What it did get before the close is in order and without repeats.
    const ids = client.messages.flatMap((m) => (m.type === "host.updated" ? [m.id] : []));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id, index) => index === 0 || id > (ids[index - 1] ?? 0))).toBe(true);
    await eventually(() => small.streamConnections.size === 0);
  }, 60_000); // ~16 bursts fill loopback's kernel buffers here; a loaded machine takes longer

  it("a client that keeps reading through the same bursts stays connected", async () => {
    const host = await t.db.host.findFirstOrThrow({ where: { fqdn: "flood.contoso.com" } });
    const client = await open(small, (await t.as("viewer")).headers.cookie);
    for (let burst = 0; burst < 4; burst++) {
      await t.db.changeEvent.createMany({
        data: Array.from({ length: 100 }, () => ({ type: "host.updated", hostId: host.id })),
      });
      await t.db.$executeRaw`SELECT pg_notify('certfleet_changes', '')`;
    }
    const head = Number((await t.db.changeEvent.aggregate({ _max: { id: true } }))._max.id);
    await client.next((m) => m.type === "host.updated" && m.id === head);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });
});

describe("heartbeat", () => {
  it("cuts a connection that stops answering pings, and keeps one that answers", async () => {
    const cookie = (await t.as("viewer")).headers.cookie;
    const silent = await open(quick, cookie, { autoPong: false });
    const answering = await open(quick, cookie);
    const { code } = await silent.closed;
    expect(code).toBe(1006); // terminated: no close handshake with a peer that is gone
    await new Promise((resolve) => setTimeout(resolve, 600)); // four more heartbeats
    expect(answering.socket.readyState).toBe(answering.socket.OPEN);
  });

  const sessionEnds: [string, (user: SignedIn & { id: number }) => Promise<void>, string][] = [
    [
      "signing out",
      async (user) => {
        const response = await t.app.inject({
          method: "POST",
          url: "/api/v1/auth/logout",
          headers: user.headers,
        });
        expect(response.statusCode).toBeLessThan(300);
      },
      "signed out",
    ],
    [
      "an admin disabling the account",
      async (user) => {
        const response = await t.app.inject({
          method: "PATCH",
          url: `/api/v1/users/${user.id}`,
          headers: admin.headers,
          payload: { disabled: true },
        });
        expect(response.statusCode).toBe(200);
      },
      "signed out", // disabling ends the user's sessions
    ],
    [
      "an admin changing the role",
      async (user) => {
        const response = await t.app.inject({
          method: "PATCH",
          url: `/api/v1/users/${user.id}`,
          headers: admin.headers,
          payload: { role: "viewer" },
        });
        expect(response.statusCode).toBe(200);
      },
      "signed out",
    ],
    [
      "a role changed behind the API's back (the session row kept)",
      async (user) => {
        await t.db.user.update({ where: { id: user.id }, data: { role: "viewer" } });
      },
      "role changed",
    ],
    [
      "an account disabled behind the API's back",
      async (user) => {
        await t.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
      },
      "account disabled",
    ],
    [
      "the session running out",
      async (user) => {
        await t.db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date() } });
      },
      "session expired",
    ],
    [
      "the session going unused past CERTFLEET_SESSION_IDLE_MINUTES (an open stream is not use)",
      async (user) => {
        const idleSince = new Date(Date.now() - (t.app.config.auth.sessionIdleMinutes + 1) * 60_000);
        await t.db.session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: idleSince } });
      },
      "session idle",
    ],
  ];

  it.each(sessionEnds)("closes the stream with 4401 on %s", async (_what, end, reason) => {
    const user = await freshUser("operator");
    const client = await open(quick, user.headers.cookie);
    const bystander = await open(quick, (await t.as("viewer")).headers.cookie);
    await end(user);
    const closed = await client.closed;
    expect(closed).toEqual({ code: STREAM_CLOSE.sessionEnded, reason: `session ended: ${reason}` });
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
  });

  it("keeps pushing to a session that stays valid across heartbeats", async () => {
    const client = await open(quick, (await t.as("viewer")).headers.cookie);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await postHost(t, pki, { fqdn: "still-live.contoso.com" });
    const update = await client.next(
      (m: StreamMessage) => m.type === "host.updated" && m.host.fqdn === "still-live.contoso.com",
    );
    expect(update.type).toBe("host.updated");
  });
});
