import type { Session, UserRole } from "@certfleet/contracts";
import { type APIRequestContext, expect } from "@playwright/test";

/** State-changing API calls need the session's CSRF token, as the web app sends it. */
export async function csrfHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  const response = await request.get("/api/v1/auth/session");
  expect(response.status(), "the admin session is signed in").toBe(200);
  return { "x-csrf-token": ((await response.json()) as Session).csrfToken };
}

/** Creates a user through the admin API (each run uses a fresh database). */
export async function createUser(
  request: APIRequestContext,
  user: { email: string; name: string; role: UserRole; password: string },
): Promise<number> {
  const response = await request.post("/api/v1/users", { data: user, headers: await csrfHeaders(request) });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: number }).id;
}
