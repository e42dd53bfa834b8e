import { createDatabaseClient } from "@certfleet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
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

  it("documents every operation, with its error answers as problem+json", async () => {
    const document = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json();
    const operations = Object.entries(
      document.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining([
        "get /api/v1/summary",
        "get /api/v1/hosts",
        "get /api/v1/hosts/{fqdn}",
        "get /api/v1/certificates/{sha256}",
        "get /api/v1/certificates/{sha256}/pem",
        "get /api/v1/certificates/{sha256}/der",
        "get /api/v1/rules",
      ]),
    );
    for (const { path, method, operation } of operations) {
      const responses = operation.responses as Record<string, { content?: Record<string, unknown> }>;
      expect(responses, `${method} ${path}`).toHaveProperty("500");
      const { parameters, requestBody } = operation as { parameters?: unknown[]; requestBody?: unknown };
      const hasInput = Boolean(parameters?.length || requestBody);
      if (hasInput) {
        expect(
          Object.keys(responses).some((code) => code === "400" || code === "422"),
          `${method} ${path} documents its bad-input answer`,
        ).toBe(true);
      }
    }
  });

  it("answers 503 degraded when the database is gone", async () => {
    const nowhere = "postgresql://nobody@127.0.0.1:1/none";
    const app = await buildApp({
      config: t.app.config,
      db: createDatabaseClient(nowhere, 1),
      databaseUrl: nowhere,
    });
    const response = await app.inject({ method: "GET", url: "/api/health" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: "degraded", database: "down" });
    await app.close();
  });
});
