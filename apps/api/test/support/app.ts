import { randomBytes } from "node:crypto";
import type { CollectorTokenCreated, Session, TokenScopeName, UserRole } from "@certfleet/contracts";
import { createDatabaseClient, type Database, quoteIdentifier } from "@certfleet/db";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { inject } from "vitest";
import { buildApp } from "../../src/app";
import { type Config, loadConfig } from "../../src/config";
import { ensureCollectorToken } from "../../src/services/tokens";
import { bootstrapAdmin } from "../../src/services/users";
import { withAdmin, withDatabase } from "./global-setup";

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  /** A live collector token for Authorization: Bearer. */
  token: string;
  databaseUrl: string;
  /** Headers of a signed-in user with this role (cookie + CSRF token), created through the API on first use. */
  as: (role: UserRole) => Promise<SignedIn>;
  /** GET as a signed-in viewer. */
  get: (url: string) => Promise<LightMyRequestResponse>;
  /** The secret of a new collector token with exactly these scopes, created through the admin API. */
  tokenWithScopes: (scopes: TokenScopeName[]) => Promise<string>;
  close: () => Promise<void>;
}

export interface SignedIn {
  userId: number;
  email: string;
  password: string;
  headers: { cookie: string; "x-csrf-token": string };
}

export const TEST_ADMIN = { email: "admin@test.certfleet.local", password: "test-admin-password" } as const;

/** The real Fastify app on its own fresh database (cloned from the migrated template). */
export async function createTestApp(
  env: Record<string, string> = {},
  appOptions: Parameters<typeof buildApp>[1] = {},
): Promise<TestApp> {
  const adminUrl = inject("adminDatabaseUrl");
  const database = `certfleet_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) =>
    client.query(
      `CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE ${quoteIdentifier(inject("templateDatabase"))}`,
    ),
  );
  const databaseUrl = withDatabase(adminUrl, database);
  const config: Config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
    // The job queue creates its own schema on start; tests that need it turn it on.
    CERTFLEET_JOBS: "false",
    ...env,
  });
  const db = createDatabaseClient(databaseUrl, 4);
  const token = `test-${randomBytes(24).toString("hex")}`;
  await ensureCollectorToken(db, token, "test collector");
  const app = await buildApp({ config, db, databaseUrl }, appOptions);
  await bootstrapAdmin(db, TEST_ADMIN, { mustChangePassword: false });
  const sessions = new Map<UserRole, Promise<SignedIn>>();
  const as = (role: UserRole) => {
    let session = sessions.get(role);
    if (!session) {
      session = signInAs(app, role);
      sessions.set(role, session);
    }
    return session;
  };
  return {
    app,
    db,
    token,
    databaseUrl,
    as,
    get: async (url) => app.inject({ method: "GET", url, headers: (await as("viewer")).headers }),
    tokenWithScopes: async (scopes) => {
      // A session of its own: a test may have signed the shared admin session out.
      const admin = await signIn(app, TEST_ADMIN.email, TEST_ADMIN.password);
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: admin.headers,
        payload: { name: `test ${scopes.join("+")}`, scopes },
      });
      if (response.statusCode !== 201) throw new Error(`token not created: ${response.body}`);
      return response.json<CollectorTokenCreated>().token;
    },
    close: async () => {
      await app.close();
      await db.$disconnect();
      await withAdmin(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
      );
    },
  };
}

/** Signs in through the API: the admin as is, other roles as a user the admin creates. */
async function signInAs(app: FastifyInstance, role: UserRole): Promise<SignedIn> {
  const admin = await signIn(app, TEST_ADMIN.email, TEST_ADMIN.password);
  if (role === "admin") return admin;
  const email = `${role}@test.certfleet.local`;
  const password = `test-${role}-password`;
  await createUser(app, admin, { email, name: `Test ${role}`, role, password });
  return signIn(app, email, password);
}

/** Creates an account through the admin API and answers its id. */
export async function createUser(
  app: FastifyInstance,
  admin: SignedIn,
  user: { email: string; name: string; role: UserRole; password: string },
): Promise<number> {
  const created = await app.inject({
    method: "POST",
    url: "/api/v1/users",
    headers: admin.headers,
    payload: user,
  });
  if (created.statusCode !== 201)
    throw new Error(`creating ${user.email}: ${created.statusCode} ${created.body}`);
  return created.json<{ id: number }>().id;
}

export async function signIn(app: FastifyInstance, email: string, password: string): Promise<SignedIn> {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in ${email}: ${response.statusCode} ${response.body}`);
  const session = response.json<Session>();
  return {
    userId: session.user.id,
    email,
    password,
    headers: { cookie: cookieHeader(response), "x-csrf-token": session.csrfToken },
  };
}

/** The Cookie header a browser would send back after this response. */
export function cookieHeader(response: LightMyRequestResponse): string {
  return response.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

/** Row counts of every table a report writes: "changes nothing" is asserted against these. */
export type RowCounts = Record<
  "hosts" | "reports" | "certificates" | "findings" | "groups" | "seen" | "bindings",
  number
>;

export async function rowCounts(db: Database): Promise<RowCounts> {
  const [hosts, reports, certificates, findings, groups, seen, bindings] = await Promise.all([
    db.host.count(),
    db.report.count(),
    db.certificate.count(),
    db.hostFinding.count(),
    db.managementGroup.count(),
    db.hostCertificate.count(),
    db.hostBinding.count(),
  ]);
  return { hosts, reports, certificates, findings, groups, seen, bindings };
}
