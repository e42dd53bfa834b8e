import { expect, test } from "@playwright/test";
import { COLLECTOR_TOKEN } from "./support/env";

// Issue 12: what the web app sends with every page, and the /api proxy's body limit.
// Written alongside the unit tests of next.config.ts (apps/web/test/security-headers.test.ts).

// Signed out: /login shows its form rather than sending a signed-in browser home.
test.use({ storageState: { cookies: [], origins: [] } });

test("pages carry the CSP, nosniff and Referrer-Policy, and still run their scripts", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/login");
  const headers = response?.headers() ?? {};
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  // Plain http here: no HSTS.
  expect(headers["strict-transport-security"]).toBeUndefined();
  // The sign-in form is rendered by React: the scripts ran under the policy.
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  expect(violations).toEqual([]);
});

test("a 12 MiB batch reaches the API whole through the web app's /api proxy", async ({ request }) => {
  // Over Next's 10 MiB default: cut short, the API would answer 400 "Malformed JSON".
  const body = JSON.stringify({ reports: [{ padding: "a".repeat(12 * 1024 * 1024) }] });
  const response = await request.post("/api/v1/reports/batch", {
    headers: { authorization: `Bearer ${COLLECTOR_TOKEN}`, "content-type": "application/json" },
    data: body,
  });
  const text = await response.text();
  expect(text).not.toContain("Malformed JSON");
  expect(response.status()).not.toBe(400);
});
