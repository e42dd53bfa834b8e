import { createDatabaseClient } from "@certfleet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { createTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CERTFLEET_JOBS: "true" });
});
afterAll(async () => t?.close());

describe("job queue", () => {
  it("gives each job to exactly one of two instances, and retries a failing job", async () => {
    const second = await buildApp({
      config: t.app.config,
      db: createDatabaseClient(t.databaseUrl, 2),
      databaseUrl: t.databaseUrl,
    });
    const ranOn: string[] = [];
    let failures = 0;
    for (const [label, app] of [
      ["first", t.app],
      ["second", second],
    ] as const) {
      app.jobs.define<{ n: number }>("test-once", async ({ n }) => {
        ranOn.push(`${label}:${n}`);
      });
      app.jobs.define(
        "test-retry",
        async () => {
          failures += 1;
          if (failures < 2) throw new Error("transient");
        },
        { retryLimit: 3, retryDelay: 1, retryBackoff: false },
      );
    }
    await Promise.all([t.app.ready(), second.ready()]);
    for (let n = 0; n < 10; n += 1) await t.app.jobs.queue.send("test-once", { n });
    await t.app.jobs.queue.send("test-retry", {});
    const deadline = Date.now() + 20_000;
    while ((ranOn.length < 10 || failures < 2) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(ranOn).toHaveLength(10);
    expect(new Set(ranOn.map((entry) => entry.split(":")[1])).size).toBe(10);
    expect(failures).toBe(2);
    await second.close();
  }, 30_000);
});
