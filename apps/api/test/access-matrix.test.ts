import { USER_ROLES, type UserRole } from "@certfleet/contracts";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import auth from "../src/plugins/auth";
import context from "../src/plugins/context";
import { createTestApp, type SignedIn, signIn, type TestApp } from "./support/app";

/**
 * Every route × every kind of caller. A route is only reachable by the callers its policy names;
 * a new route is covered the moment it is registered (routePolicies lists them all), and a route
 * without a policy does not even start (last test).
 */
let t: TestApp;
const signedIn = new Map<UserRole, SignedIn>();

beforeAll(async () => {
  t = await createTestApp();
  for (const role of USER_ROLES) signedIn.set(role, await t.as(role));
});
afterAll(async () => t?.close());

/** A concrete URL for a route pattern: ids that exist nowhere, so allowed calls end in 400/404/422. */
function concrete(url: string): string {
  return url
    .replace(":fqdn", "nobody.contoso.com")
    .replace(":sha256", "0".repeat(64))
    .replace(":id", "999999");
}

type Caller = "nobody" | UserRole;
const CALLERS: Caller[] = ["nobody", ...USER_ROLES];

/** What a caller must get: 401 without a session, 403 below the route's role, anything else otherwise. */
function expected(access: string, caller: Caller): 401 | 403 | "allowed" {
  if (access === "public") return "allowed";
  if (access === "collector") return 401; // a user session never stands in for a collector token
  if (caller === "nobody") return 401;
  const role = ({ inventory: "admin", reader: "viewer" } as Record<string, UserRole>)[access] ?? access;
  return USER_ROLES.indexOf(caller) >= USER_ROLES.indexOf(role as UserRole) ? "allowed" : 403;
}

async function headersFor(caller: Caller, url: string): Promise<Record<string, string>> {
  if (caller === "nobody") return {};
  const session = signedIn.get(caller) as SignedIn;
  // Signing out would end the shared session: give sign-out routes a fresh one.
  if (url.startsWith("/api/v1/auth/logout"))
    return (await signIn(t.app, session.email, session.password)).headers;
  return session.headers;
}

describe("route × role", () => {
  it("walks every registered route and answers each caller as its policy says", async () => {
    const isSignOut = (url: string) => url.startsWith("/api/v1/auth/logout");
    // Sign-out routes last: "sign out everywhere" ends the shared sessions too.
    const routes = t.app.routePolicies
      .filter((route) => route.method !== "HEAD")
      .sort((a, b) => Number(isSignOut(a.url)) - Number(isSignOut(b.url)));
    expect(routes.length).toBeGreaterThan(20);
    const mismatches: string[] = [];
    for (const route of routes) {
      for (const caller of CALLERS) {
        const url = concrete(route.url);
        const response = await t.app.inject({
          method: route.method as "GET",
          url,
          headers: await headersFor(caller, url),
          ...(route.method === "GET" ? {} : { payload: {} }),
        });
        const want = expected(route.access, caller);
        const ok =
          want === "allowed"
            ? response.statusCode !== 401 && response.statusCode !== 403
            : response.statusCode === want;
        if (!ok)
          mismatches.push(
            `${route.method} ${route.url} (${route.access}) as ${caller}: ${response.statusCode}, want ${want}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("lets a token through the routes its scopes open, 403 on the other token routes, 401 elsewhere", async () => {
    // Every scope is tried alone: the seeded token (reports, inventory) cannot show a missing scope.
    const byScope = {
      reports: await t.tokenWithScopes(["reports"]),
      inventory: await t.tokenWithScopes(["inventory"]),
      read: await t.tokenWithScopes(["read"]),
    };
    const scopeOf: Record<string, keyof typeof byScope> = {
      collector: "reports",
      inventory: "inventory",
      reader: "read",
    };
    const mismatches: string[] = [];
    for (const route of t.app.routePolicies.filter((r) => r.method !== "HEAD")) {
      for (const [scope, token] of Object.entries(byScope)) {
        const response = await t.app.inject({
          method: route.method as "GET",
          url: concrete(route.url),
          headers: { authorization: `Bearer ${token}` },
          ...(route.method === "GET" ? {} : { payload: {} }),
        });
        const needs = scopeOf[route.access];
        const want = route.access === "public" || needs === scope ? "allowed" : needs ? 403 : 401;
        const ok =
          want === "allowed" ? ![401, 403].includes(response.statusCode) : response.statusCode === want;
        if (!ok)
          mismatches.push(`${route.method} ${route.url} with ${scope}: ${response.statusCode}, want ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("names the least role of every route in the OpenAPI document's route list", () => {
    const byUrl = new Map(t.app.routePolicies.map((route) => [`${route.method} ${route.url}`, route.access]));
    expect(byUrl.get("GET /api/v1/hosts")).toBe("reader");
    expect(byUrl.get("POST /api/v1/tasks/:id/transitions")).toBe("operator");
    expect(byUrl.get("POST /api/v1/tasks/bulk-assign")).toBe("lead");
    expect(byUrl.get("POST /api/v1/tokens")).toBe("admin");
    expect(byUrl.get("POST /api/v1/reports")).toBe("collector");
    expect(byUrl.get("POST /api/v1/inventory")).toBe("inventory");
    expect(byUrl.get("GET /api/v1/hosts/export.csv")).toBe("reader");
    // The API docs are declared like any route (public), not left outside the access model.
    expect(byUrl.get("GET /api/docs")).toBe("public");
    expect(byUrl.get("GET /api/docs/json")).toBe("public");
  });

  it("refuses to start with a route that declares no access policy", async () => {
    const app = Fastify();
    await app.register(context, { config: t.app.config, db: t.db, databaseUrl: t.databaseUrl });
    await app.register(auth);
    const starting = app
      .register(async (scoped) => {
        scoped.get("/api/v1/unguarded", async () => "oops");
      })
      .then(() => app.ready());
    await expect(starting).rejects.toThrow(/GET \/api\/v1\/unguarded declares no access policy/);
    await app.close();
  });
});
