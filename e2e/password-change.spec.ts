import { expect, test } from "@playwright/test";
import { API_PORT, WEB_URL } from "./support/env";
import { createUser } from "./support/session";
import { attachScreenshot } from "./support/ui";

/** New contexts start from the config's signed-in admin state unless told otherwise. */
const SIGNED_OUT = { storageState: { cookies: [], origins: [] } };

test("a viewer changes their own password in the browser: field errors first, then the new password signs in and the old one does not", async ({
  browser,
  request,
  playwright,
}, testInfo) => {
  const stamp = Date.now().toString(36);
  const viewer = {
    email: `pw-${stamp}@e2e.test`,
    name: "Vera Viewer",
    role: "viewer" as const,
    password: "viewer-password-e2e",
  };
  await createUser(request, viewer);
  const newPassword = "a-brand-new-password-e2e";

  const context = await browser.newContext(SIGNED_OUT);
  const page = await context.newPage();
  await page.goto(`${WEB_URL}/login`);
  await page.getByLabel("E-mail").fill(viewer.email);
  await page.getByLabel("Password").fill(viewer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);

  await page.goto(`${WEB_URL}/account/password`);
  // A wrong current password is the current-password field's error, not a sign-out.
  await page.getByLabel("Current password").fill("not-my-password-at-all");
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  const current = page.getByLabel("Current password");
  await expect(current).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/account\/password/);

  // Confirmation that does not match is caught before anything is sent.
  await current.fill(viewer.password);
  await page.getByLabel("New password again").fill(`${newPassword}-typo`);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("New password again")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. Your other sessions were signed out.")).toBeVisible();
  await attachScreenshot(page, testInfo, "password-changed");
  await context.close();

  // Through the public API, as any client would: the old password is refused, the new one accepted.
  const api = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${API_PORT}` });
  const signIn = (password: string) =>
    api.post("/api/v1/auth/login", { data: { email: viewer.email, password } });
  expect((await signIn(viewer.password)).status()).toBe(401);
  expect((await signIn(newPassword)).status()).toBe(200);
  await api.dispose();
});
