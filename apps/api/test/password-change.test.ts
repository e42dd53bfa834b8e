import type { AuditPage, Problem, Session } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../src/services/auth/sessions";
import { demoAccounts, ensureDemoAccounts } from "../src/services/demo-accounts";
import { cookieHeader, createTestApp, createUser, type SignedIn, signIn, type TestApp } from "./support/app";

/** People change their own password: current + new, the creation policy, other sessions end. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CERTFLEET_LOGIN_ATTEMPTS: "3" });
});
afterAll(async () => t?.close());

let counter = 0;
/** A fresh operator account, signed in twice (two browsers). */
async function operatorInTwoBrowsers(): Promise<{ a: SignedIn; b: SignedIn; password: string }> {
  const admin = await t.as("admin");
  const email = `changer-${++counter}@test.certfleet.local`;
  const password = `first-password-${counter}`;
  await createUser(t.app, admin, { email, name: "Pat Changer", role: "operator", password });
  return { a: await signIn(t.app, email, password), b: await signIn(t.app, email, password), password };
}

const change = (who: SignedIn, body: unknown, headers: Record<string, string> = who.headers) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/password", headers, payload: body as object });

const whoAmI = (who: SignedIn) =>
  t.app.inject({ method: "GET", url: "/api/v1/auth/session", headers: who.headers });

const login = (email: string, password: string) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });

async function auditFor(email: string) {
  const admin = await t.as("admin");
  const response = await t.app.inject({
    method: "GET",
    url: `/api/v1/audit?limit=200&entityType=user&actor=${encodeURIComponent(email)}`,
    headers: admin.headers,
  });
  expect(response.statusCode).toBe(200);
  return response.json<AuditPage>().items;
}

describe("changing your own password", () => {
  it("replaces the password, ends the other sessions, keeps this one and audits the change", async () => {
    const { a, b, password } = await operatorInTwoBrowsers();
    const response = await change(a, { currentPassword: password, newPassword: "second-password-long" });
    expect(response.statusCode, response.body).toBe(200);
    const session = response.json<Session>();
    expect(session.user.email).toBe(a.email);
    expect(session.passwordChangeRequired).toBe(false);

    expect((await whoAmI(a)).statusCode).toBe(200); // this browser goes on
    expect((await whoAmI(b)).statusCode).toBe(401); // the other one is signed out
    expect((await login(a.email, password)).statusCode).toBe(401);
    expect((await login(a.email, "second-password-long")).statusCode).toBe(200);

    const entries = await auditFor(a.email);
    const entry = entries.find((item) => item.action === "auth.password_change");
    expect(entry?.after).toEqual({ otherSessionsEnded: 1 });
    // Neither password, nor any hash, is in the audit trail.
    const trail = JSON.stringify(entries);
    expect(trail).not.toContain("second-password-long");
    expect(trail).not.toContain(password);
    expect(trail).not.toContain("argon2");
  });

  it("refuses a wrong current password with a field error (not 401), changes nothing and audits the try", async () => {
    const { a, b, password } = await operatorInTwoBrowsers();
    const response = await change(a, {
      currentPassword: "not-my-password",
      newPassword: "whatever-long-one",
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json<Problem>().errors).toEqual([
      { field: "currentPassword", message: "is not your current password" },
    ]);
    expect((await whoAmI(b)).statusCode).toBe(200);
    expect((await login(a.email, password)).statusCode).toBe(200);
    expect((await auditFor(a.email)).map((entry) => entry.action)).toContain("auth.password_change_failed");
  });

  it.each([
    ["a new password under 12 characters", { newPassword: "short" }, "newPassword"],
    ["a new password over 1024 characters", { newPassword: "x".repeat(1025) }, "newPassword"],
    ["an empty current password", { currentPassword: "" }, "currentPassword"],
    ["an unknown field", { extra: true }, "extra"],
  ])("refuses %s, naming the field", async (_case, patch, field) => {
    const { a, password } = await operatorInTwoBrowsers();
    const response = await change(a, {
      currentPassword: password,
      newPassword: "a-good-new-password",
      ...patch,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<Problem>().errors?.map((error) => error.field)).toContain(field);
    expect((await login(a.email, password)).statusCode).toBe(200);
  });

  it("refuses the current password as the new one", async () => {
    const { a, password } = await operatorInTwoBrowsers();
    const response = await change(a, { currentPassword: password, newPassword: password });
    expect(response.statusCode).toBe(422);
    expect(response.json<Problem>().errors).toEqual([
      { field: "newPassword", message: "must differ from your current password" },
    ]);
  });

  it("needs a session and the CSRF token", async () => {
    const { a, password } = await operatorInTwoBrowsers();
    const body = { currentPassword: password, newPassword: "third-password-long" };
    expect((await change(a, body, {})).statusCode).toBe(401);
    expect((await change(a, body, { cookie: a.headers.cookie })).statusCode).toBe(403);
    expect((await login(a.email, password)).statusCode).toBe(200);
  });

  it("limits guesses at the current password per account", async () => {
    const { a, password } = await operatorInTwoBrowsers();
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++)
      statuses.push(
        (await change(a, { currentPassword: `guess-${n}`, newPassword: "guessed-new-pass" })).statusCode,
      );
    expect(statuses).toEqual([422, 422, 422, 429]);
    // Even the right password waits for the window now.
    expect((await change(a, { currentPassword: password, newPassword: "guessed-new-pass" })).statusCode).toBe(
      429,
    );
  });

  it("tells a single-sign-on account it has no password to change", async () => {
    const user = await t.db.user.create({
      data: {
        email: "sso-only@test.certfleet.local",
        name: "Sam Sso",
        role: "viewer",
        oidcSubject: "idp sam",
      },
    });
    const { token } = await createSession(t.db, user.id, "oidc", 1, {
      ip: "127.0.0.1",
      userAgent: undefined,
    });
    const cookie = `certfleet_session=${token}`;
    const me = await t.app.inject({ method: "GET", url: "/api/v1/auth/session", headers: { cookie } });
    const session = me.json<Session>();
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      // The CSRF secret rides in its own cookie, set by the session answer.
      headers: { cookie: `${cookie}; ${cookieHeader(me)}`, "x-csrf-token": session.csrfToken },
      payload: { currentPassword: "anything", newPassword: "anything-long-enough" },
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json<Problem>().errors?.[0]?.field).toBe("currentPassword");
  });

  it("leaves the demo accounts' published passwords alone", async () => {
    await ensureDemoAccounts(t.db);
    const demo = demoAccounts().find((account) => account.role === "lead");
    if (!demo) throw new Error("no demo lead");
    const signedIn = await signIn(t.app, demo.email, demo.password);
    const response = await change(signedIn, {
      currentPassword: demo.password,
      newPassword: "taken-over-demo",
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<Problem>().type).toBe("https://certfleet.dev/problems/demo-account-password");
    expect((await login(demo.email, demo.password)).statusCode).toBe(200);
    // Never forced to change it either: the demo works for the next visitor as before.
    expect((await whoAmI(signedIn)).json<Session>().passwordChangeRequired).toBe(false);
  });
});
