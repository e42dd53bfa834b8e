import { expect, test } from "@playwright/test";

test("home page shows certfleet and a healthy API and database", async ({ page }, testInfo) => {
  await page.goto("/");

  await expect(page).toHaveTitle(/certfleet/);
  await expect(page.getByRole("heading", { level: 1, name: "certfleet" })).toBeVisible();

  const health = page.getByTestId("api-health");
  await expect(health).toBeVisible();
  // The browser fetches /api/health through Next.js: "ok" means web → API → database all work.
  await expect(health).toHaveAttribute("data-state", "ok");
  await expect(health.getByTestId("database-state")).toHaveText(/up/i);

  await testInfo.attach("home page", {
    body: await page.screenshot({ fullPage: true }),
    contentType: "image/png",
  });
});
