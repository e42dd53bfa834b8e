import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type {
  AuditPage,
  NotificationChannelCreated,
  NotificationHistoryItem,
  Problem,
} from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { recordAudit } from "../src/services/audit";
import { resolveSecretKey, SECRET_KEY_FILE } from "../src/services/notifications/secret-box";
import { startWebhookReceiver } from "./notifications-support";
import { createTestApp, type TestApp } from "./support/app";

const KEY = randomBytes(32).toString("base64");
const SECRET_PATH_URL = "https://hooks.example.com/T0/B0/secretpath";

let t: TestApp;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  t = await createTestApp({ CERTFLEET_SECRET_KEY: KEY, CERTFLEET_WEBHOOK_ALLOW: "127.0.0.1/32" });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await hooks?.close();
});

async function createHook(name: string, target: string): Promise<NotificationChannelCreated> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/notification-channels",
    headers: (await t.as("admin")).headers,
    payload: { kind: "webhook", name, target },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<NotificationChannelCreated>();
}

async function storedSecret(id: number): Promise<string> {
  const [row] = await t.db.$queryRaw<{ secret: string }[]>`
    SELECT "secret" FROM "NotificationChannel" WHERE "id" = ${id}`;
  return row?.secret ?? "";
}

async function sendTest(id: number): Promise<NotificationHistoryItem> {
  const response = await t.app.inject({
    method: "POST",
    url: `/api/v1/notification-channels/${id}/test`,
    headers: (await t.as("admin")).headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<NotificationHistoryItem>();
}

describe("webhook secrets at rest", () => {
  it("stores the secret encrypted, and still signs with it", async () => {
    const channel = await createHook("Encrypted", hooks.url("/encrypted"));
    const secret = channel.secret as string;
    const stored = await storedSecret(channel.id);
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice("whsec_".length, 20));
    // The receiver verifies the signature with the secret the admin was shown.
    hooks.secrets.set("/encrypted", secret);
    expect(await sendTest(channel.id)).toMatchObject({ status: "delivered" });
    expect(hooks.delivered("/encrypted")).toHaveLength(1);
  });

  it("encrypts secrets an older version stored in clear when the API starts", async () => {
    const channel = await createHook("Legacy", hooks.url("/legacy"));
    const legacySecret = `whsec_${randomBytes(32).toString("base64url")}`;
    await t.db
      .$executeRaw`UPDATE "NotificationChannel" SET "secret" = ${legacySecret} WHERE "id" = ${channel.id}`;
    // Still usable in clear (a key-less instance keeps working) ...
    hooks.secrets.set("/legacy", legacySecret);
    expect(await sendTest(channel.id)).toMatchObject({ status: "delivered" });
    // ... and a starting instance rewrites it encrypted.
    const restarted = await buildApp({ config: t.app.config, db: t.db, databaseUrl: t.databaseUrl });
    await restarted.ready();
    // In the background after start-up (a database that is away must not keep the API from starting).
    await expect.poll(() => storedSecret(channel.id), { timeout: 10_000 }).toMatch(/^enc:v1:/);
    await restarted.close();
    const stored = await storedSecret(channel.id);
    expect(stored).not.toContain(legacySecret);
    expect(await sendTest(channel.id)).toMatchObject({ status: "delivered" });
    expect(hooks.delivered("/legacy")).toHaveLength(2);
  });

  it("refuses to create a webhook when no key is configured (DATABASE_URL without CERTFLEET_SECRET_KEY)", async () => {
    const keyless = await createTestApp({});
    try {
      const response = await keyless.app.inject({
        method: "POST",
        url: "/api/v1/notification-channels",
        headers: (await keyless.as("admin")).headers,
        payload: { kind: "webhook", name: "No key", target: "https://hooks.example.com/x" },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json<Problem>()).toMatchObject({
        title: "Webhooks are not configured",
        errors: [{ field: "kind" }],
      });
      expect(response.json<Problem>().detail).toContain("CERTFLEET_SECRET_KEY");
    } finally {
      await keyless.close();
    }
  }, 60_000);

  it("on the embedded database, keeps a generated key in the data dir, readable by its owner only", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "certfleet-key-"));
    try {
      const config = loadConfig({ CERTFLEET_DATA_DIR: dataDir });
      const first = await resolveSecretKey(config);
      expect(first?.length).toBe(32);
      const file = path.join(dataDir, SECRET_KEY_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(Buffer.from((await readFile(file, "utf8")).trim(), "base64")).toEqual(first);
      expect(await resolveSecretKey(config)).toEqual(first);
      await chmod(file, 0o644);
      expect(await resolveSecretKey(config)).toEqual(first);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      // CERTFLEET_SECRET_KEY wins over the file; with DATABASE_URL there is no file at all.
      const given = randomBytes(32);
      expect(
        await resolveSecretKey(
          loadConfig({ CERTFLEET_DATA_DIR: dataDir, CERTFLEET_SECRET_KEY: given.toString("hex") }),
        ),
      ).toEqual(given);
      expect(await resolveSecretKey(loadConfig({ DATABASE_URL: "postgresql://h/db" }))).toBeNull();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("webhook URLs in the audit log", () => {
  async function channelAudit(query: string): Promise<{ body: string; page: AuditPage }> {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/v1/audit${query}`,
      headers: (await t.as("admin")).headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return { body: response.body, page: response.json<AuditPage>() };
  }

  it("shows only scheme and host, in the log and in its export", async () => {
    const channel = await createHook("Chat", SECRET_PATH_URL);
    const admin = await t.as("admin");
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/notification-channels/${channel.id}`,
      headers: admin.headers,
      payload: { target: "https://hooks.example.com/T1/B1/othersecret" },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // An entry written before URLs were redacted, as an older version wrote it.
    await recordAudit(
      t.db,
      { id: admin.userId, email: admin.email, ip: null },
      {
        action: "channel.update",
        entityType: "notification_channel",
        entityId: channel.id,
        before: { kind: "webhook", name: "Chat", target: SECRET_PATH_URL },
      },
    );
    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/notification-channels/${channel.id}`,
      headers: admin.headers,
    });
    expect(deleted.statusCode).toBe(204);

    const { body, page } = await channelAudit(`?entityType=notification_channel&entityId=${channel.id}`);
    expect(page.items.map((entry) => entry.action).sort()).toEqual([
      "channel.create",
      "channel.delete",
      "channel.update",
      "channel.update",
    ]);
    const targets = page.items.flatMap((entry) =>
      [entry.before, entry.after].map((snapshot) => (snapshot as { target?: string } | null)?.target),
    );
    expect(targets.filter(Boolean).every((target) => target === "https://hooks.example.com")).toBe(true);
    expect(targets.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(body).not.toMatch(/secretpath|othersecret|T0\/B0/);

    const csv = await t.app.inject({
      method: "GET",
      url: `/api/v1/audit.csv?entityType=notification_channel&entityId=${channel.id}`,
      headers: admin.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain("https://hooks.example.com");
    expect(csv.body).not.toMatch(/secretpath|othersecret|T0\/B0/);
  });
});
