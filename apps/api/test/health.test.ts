import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe("GET /api/health", () => {
  it("answers 200 with the database up", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: "ok", database: "up" });
  });

  it("serves the OpenAPI document generated from the route schemas", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/api/health", "/api/v1/reports", "/api/v1/reports/batch"]),
    );
    expect(document.paths["/api/v1/reports"].post.responses).toHaveProperty("422");
  });

  it("answers 503 degraded when the database is gone", async () => {
    await t.db.$disconnect();
    const { app } = await import("../src/app").then(async ({ buildApp }) => ({
      app: await buildApp({
        config: t.app.config,
        db: (await import("@certfleet/db")).createDatabaseClient("postgresql://nobody@127.0.0.1:1/none", 1),
      }),
    }));
    const response = await app.inject({ method: "GET", url: "/api/health" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: "degraded", database: "down" });
    await app.close();
  });
});
