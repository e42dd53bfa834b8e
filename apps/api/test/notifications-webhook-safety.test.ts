import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NotificationChannelCreated, NotificationHistoryItem, Problem } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { ProblemError } from "../src/problem";
import { normalizeWebhookTarget, sendTestMessage } from "../src/services/notifications/channels";
import type { WebhookBody } from "../src/services/notifications/messages";
import { postWebhook, WEBHOOK_RESPONSE_CAP } from "../src/services/notifications/transport";
import { isForbiddenAddress } from "../src/services/notifications/webhook-address";
import { startWebhookReceiver } from "./notifications-support";
import { createTestApp, type TestApp } from "./support/app";

const NOTHING_ALLOWED = loadConfig({}).notifications.webhookAllow;
const LOOPBACK_ALLOWED = loadConfig({ CERTFLEET_WEBHOOK_ALLOW: "127.0.0.1/32" }).notifications.webhookAllow;

const body = (): WebhookBody => ({
  deliveryId: "d-1",
  event: "test",
  sentAt: new Date().toISOString(),
  channel: { id: 1, name: "t" },
  items: [{ type: "test", message: "hello" }],
});

/** A local server with hand-written answers per path, counting the requests and bytes it sent. */
async function startOddServer() {
  const requests: string[] = [];
  let bodyBytesWritten = 0;
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    request.resume();
    if (request.url === "/redirect") {
      response.writeHead(302, { location: "/landing" }).end();
      return;
    }
    if (request.url === "/huge") {
      // Up to 256 MiB, written only as fast as the client reads it.
      response.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(1024 * 1024, 120);
      const writeMore = () => {
        while (bodyBytesWritten < 256 * 1024 * 1024 && !response.destroyed) {
          bodyBytesWritten += chunk.length;
          if (!response.write(chunk)) {
            response.once("drain", writeMore);
            return;
          }
        }
        response.end();
      };
      response.on("error", () => {});
      writeMore();
      return;
    }
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    requests,
    bodyBytesWritten: () => bodyBytesWritten,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("where webhooks may go", () => {
  it("knows loopback, private, link-local, unique-local, CGNAT, multicast and metadata addresses", () => {
    for (const address of [
      "127.0.0.1",
      "127.8.9.10",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.251",
      "255.255.255.255",
      "::",
      "::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:a9fe:a9fe",
      "fe80::1",
      "fc00::1",
      "fd00:ec2::254",
      "ff02::1",
      "64:ff9b::a9fe:a9fe",
    ])
      expect(isForbiddenAddress(address), address).toBe(true);
    for (const address of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(isForbiddenAddress(address), address).toBe(false);
  });
});

describe("webhook delivery", () => {
  let odd: Awaited<ReturnType<typeof startOddServer>>;
  beforeAll(async () => {
    odd = await startOddServer();
  });
  afterAll(async () => odd?.close());

  it("never connects to 127.0.0.1 unless CERTFLEET_WEBHOOK_ALLOW names it", async () => {
    await expect(postWebhook(odd.url("/plain"), "s", body(), { allow: NOTHING_ALLOWED })).rejects.toThrow(
      "webhook: the target address is not allowed (see CERTFLEET_WEBHOOK_ALLOW)",
    );
    await expect(
      postWebhook(`https://[::ffff:127.0.0.1]:${odd.port}/plain`, "s", body(), { allow: NOTHING_ALLOWED }),
    ).rejects.toThrow("not allowed");
    expect(odd.requests).toEqual([]);
    await postWebhook(odd.url("/plain"), "s", body(), { allow: LOOPBACK_ALLOWED });
    expect(odd.requests).toEqual(["/plain"]);
  });

  it("refuses a host name that resolves to loopback, whatever the URL says", async () => {
    const before = odd.requests.length;
    await expect(
      postWebhook(`http://localhost:${odd.port}/named`, "s", body(), { allow: NOTHING_ALLOWED }),
    ).rejects.toThrow("not allowed");
    // DNS rebinding: a public-looking name that answers 127.0.0.1 when the message is sent.
    const rebinding = async () => [{ address: "127.0.0.1", family: 4 }];
    await expect(
      postWebhook(`https://hooks.example.com:${odd.port}/rebound`, "s", body(), {
        allow: NOTHING_ALLOWED,
        resolve: rebinding,
      }),
    ).rejects.toThrow("not allowed");
    expect(odd.requests.length).toBe(before);
  });

  it("does not follow redirects", async () => {
    await expect(postWebhook(odd.url("/redirect"), "s", body(), { allow: LOOPBACK_ALLOWED })).rejects.toThrow(
      "webhook: HTTP 302 (redirects are not followed)",
    );
    expect(odd.requests).toContain("/redirect");
    expect(odd.requests).not.toContain("/landing");
  });

  it("reads no more than a small part of a huge answer", async () => {
    await postWebhook(odd.url("/huge"), "s", body(), { allow: LOOPBACK_ALLOWED });
    // Stopped long before the 256 MiB the server would send: what was written is what the
    // socket buffers held when the client hung up.
    expect(WEBHOOK_RESPONSE_CAP).toBeLessThanOrEqual(64 * 1024);
    await expect.poll(() => odd.bodyBytesWritten()).toBeGreaterThan(0);
    expect(odd.bodyBytesWritten()).toBeLessThan(32 * 1024 * 1024);
  });

  it("answers a generic error, not what the network said", async () => {
    const closed = await startOddServer();
    const url = closed.url("/gone");
    await closed.close();
    const failure = postWebhook(url, "s", body(), { allow: LOOPBACK_ALLOWED });
    await expect(failure).rejects.toThrow("webhook: the request failed (connection or TLS error)");
    await expect(failure).rejects.not.toThrow(/ECONNREFUSED|127\.0\.0\.1|\d{4,5}/);
  });
});

describe("webhook channels through the API", () => {
  let t: TestApp;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    t = await createTestApp({
      CERTFLEET_WEBHOOK_ALLOW: "127.0.0.1/32, chat.corp.example",
      CERTFLEET_SECRET_KEY: "c".repeat(64),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  async function create(target: string) {
    return t.app.inject({
      method: "POST",
      url: "/api/v1/notification-channels",
      headers: (await t.as("admin")).headers,
      payload: { kind: "webhook", name: `Hook ${target}`, target },
    });
  }

  it("refuses local, private and metadata targets with a 422 naming the field", async () => {
    for (const target of [
      "https://10.0.0.5/hook",
      "https://169.254.169.254/latest/meta-data/",
      "https://[fd00:ec2::254]/",
      "https://[::1]/hook",
      "https://127.0.0.2/hook",
    ]) {
      const response = await create(target);
      expect(response.statusCode, target).toBe(422);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.json<Problem>().errors?.[0]?.field, target).toBe("target");
    }
  });

  it("refuses a name that resolves to loopback when it is saved", async () => {
    const refused = normalizeWebhookTarget("https://localhost/hook", NOTHING_ALLOWED);
    await expect(refused).rejects.toBeInstanceOf(ProblemError);
    await expect(refused).rejects.toMatchObject({ status: 422, errors: [{ field: "target" }] });
  });

  it("requires https unless the target is allowed", async () => {
    const plain = await create("http://hooks.example.com/T0/B0/x");
    expect(plain.statusCode).toBe(422);
    expect(plain.json<Problem>().errors?.[0]).toMatchObject({ field: "target" });
    expect(plain.json<Problem>().detail).toContain("https");
    expect((await create("http://chat.corp.example/hooks/1")).statusCode).toBe(201);
    expect((await create("https://hooks.example.com/T0/B0/x")).statusCode).toBe(201);
  });

  it("refuses the same target on update", async () => {
    const created = (await create("https://hooks.example.com/ok")).json<NotificationChannelCreated>();
    const response = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/notification-channels/${created.id}`,
      headers: (await t.as("admin")).headers,
      payload: { target: "https://192.168.0.10/hook" },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<Problem>().errors?.[0]?.field).toBe("target");
  });

  it("delivers to an allowed local receiver, and checks again at send time", async () => {
    const response = await create(hooks.url("/allowed"));
    expect(response.statusCode, response.body).toBe(201);
    const channel = response.json<NotificationChannelCreated>();
    hooks.secrets.set("/allowed", channel.secret as string);
    const sent = await t.app.inject({
      method: "POST",
      url: `/api/v1/notification-channels/${channel.id}/test`,
      headers: (await t.as("admin")).headers,
    });
    expect(sent.json<NotificationHistoryItem>()).toMatchObject({ status: "delivered", attempts: 1 });
    expect(hooks.delivered("/allowed")).toHaveLength(1);

    // The allow list shrank since the channel was saved: the next message is refused, not sent.
    const strict = { ...t.app.config.notifications, webhookAllow: NOTHING_ALLOWED };
    const admin = await t.as("admin");
    const refused = await sendTestMessage(
      t.db,
      strict,
      { id: admin.userId, email: admin.email, ip: null },
      channel.id,
    );
    expect(refused).toMatchObject({
      status: "failed",
      lastError: "webhook: the target address is not allowed (see CERTFLEET_WEBHOOK_ALLOW)",
    });
    expect(hooks.received.filter((hook) => hook.path === "/allowed")).toHaveLength(1);
  });
});
