import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookSignature } from "../src/services/notifications/transport";

type Verify = (
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  secret: string,
  nowSeconds?: number,
) => boolean;

/** The receiver example in docs/notifications.md, run as written. */
const snippetFile = path.join(tmpdir(), `certfleet-docs-receiver-${randomBytes(4).toString("hex")}.ts`);
let verifyCertfleet: Verify;

beforeAll(async () => {
  const docs = await readFile(path.join(import.meta.dirname, "../../../docs/notifications.md"), "utf8");
  const snippet = /```ts\n(import \{ createHmac, timingSafeEqual \}[\s\S]*?)```/.exec(docs)?.[1];
  expect(snippet, "the receiver example in docs/notifications.md").toBeDefined();
  await writeFile(snippetFile, snippet as string);
  ({ verifyCertfleet } = (await import(snippetFile)) as { verifyCertfleet: Verify });
});

afterAll(async () => rm(snippetFile, { force: true }));

describe("the webhook signature", () => {
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const body = JSON.stringify({ deliveryId: "d-1", event: "test", items: [] });
  const now = Math.floor(Date.now() / 1000);
  const headers = (timestamp: number, signature = webhookSignature(secret, timestamp, body)) => ({
    "x-certfleet-timestamp": String(timestamp),
    "x-certfleet-signature": signature,
  });

  it("covers the timestamp as well as the body, and the documented receiver checks both", () => {
    expect(verifyCertfleet(Buffer.from(body), headers(now), secret, now)).toBe(true);
    // A captured delivery replayed with a fresh timestamp no longer matches its signature.
    const captured = webhookSignature(secret, now - 3600, body);
    expect(verifyCertfleet(Buffer.from(body), headers(now, captured), secret, now)).toBe(false);
    // An old delivery, even correctly signed, is refused.
    expect(verifyCertfleet(Buffer.from(body), headers(now - 3600), secret, now)).toBe(false);
    // A changed body or another secret fails.
    expect(verifyCertfleet(Buffer.from(`${body} `), headers(now), secret, now)).toBe(false);
    expect(verifyCertfleet(Buffer.from(body), headers(now), "whsec_other", now)).toBe(false);
  });
});
