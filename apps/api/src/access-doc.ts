import { createDatabaseClient } from "@certfleet/db";
import { buildApp } from "./app";
import { loadConfig } from "./config";
import type { RoutePolicy } from "./plugins/auth";

const WHO: Record<string, string> = {
  public: "anyone",
  collector: "token with reports",
  inventory: "admin, or token with inventory",
  reader: "viewer+, or token with read",
  viewer: "viewer+",
  operator: "operator+",
  lead: "lead+",
  admin: "admin",
};

/** The API docs' routes belong to @fastify/swagger-ui and carry no summary of their own. */
function summaryOf(route: RoutePolicy): string {
  if (route.summary || !route.url.startsWith("/api/docs")) return route.summary;
  return "API documentation: the OpenAPI UI, its assets and the OpenAPI document (JSON, YAML)";
}

/** docs/api-access.md: every route and the least role that may call it, from the routes themselves. */
export function renderAccessMarkdown(policies: RoutePolicy[]): string {
  const rows = policies
    .filter((route) => route.method !== "HEAD")
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))
    .map(
      (route) =>
        `| ${route.method} | \`${route.url}\` | ${WHO[route.access] ?? route.access}${route.beforePasswordChange ? " †" : ""} | ${summaryOf(route)} |`,
    );
  return [
    "# Who may call what",
    "",
    "Generated from the routes' own `config.access` by `pnpm docs:access`; a test fails when it is stale.",
    "Roles are a ladder: viewer < operator < lead < admin, each with the rights of those before it.",
    "Without a session a role route answers 401; below its role, 403. State-changing calls also need",
    "the session's CSRF token in `x-csrf-token`. Operators may move only tasks assigned to them.",
    "An account that must choose a new password (the first admin) reaches only the routes marked †;",
    "every other role route answers it 403 with type `…/problems/password-change-required`.",
    "Collector tokens carry scopes (reports, inventory, read): a token without the scope a route needs",
    "gets 403 naming it; a request with a bearer token is judged by the token, never by a cookie.",
    "",
    "| Method | Path | Who | What |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

/**
 * Every route the API can serve: built with single sign-on configured (its routes exist only then)
 * and a database that is never contacted (registering routes runs no query).
 */
export async function allRoutePolicies(): Promise<RoutePolicy[]> {
  const url = "postgresql://docs@127.0.0.1:1/none";
  const config = loadConfig({
    DATABASE_URL: url,
    CERTFLEET_OIDC_ISSUER: "https://login.example.com",
    CERTFLEET_OIDC_CLIENT_ID: "certfleet",
    CERTFLEET_OIDC_CLIENT_SECRET: "unused",
    CERTFLEET_OIDC_REDIRECT_URI: "https://certfleet.example.com/api/v1/auth/oidc/callback",
  });
  const db = createDatabaseClient(url, 1);
  const app = await buildApp({ config, db, databaseUrl: url });
  const policies = [...app.routePolicies];
  await db.$disconnect();
  return policies;
}
