import AxeBuilder from "@axe-core/playwright";
import type { HostDetail, TaskPage } from "@certfleet/contracts";
import { expect, test } from "@playwright/test";
import { WEB_URL } from "./support/env";
import { ensureEstate, fqdnOf } from "./support/estate";
import { apiGet, attachScreenshot, settled } from "./support/ui";

test.beforeAll(async () => {
  await ensureEstate(WEB_URL);
});

const schemes = ["light", "dark"] as const;

for (const scheme of schemes) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test(`every page passes axe (no serious or critical violations)`, async ({ page, request }, testInfo) => {
      // Seventeen pages, each loaded, settled and scanned: the default 60 s is per test, not per page,
      // and a busy 2-core machine once ran out of it on page 13.
      test.setTimeout(180_000);
      const host = await apiGet<HostDetail>(request, `/api/v1/hosts/${fqdnOf("agent08")}`);
      const sha256 = host.boundCertificate?.sha256;
      if (!sha256) throw new Error("agent08 has a bound certificate");
      const task = (await apiGet<TaskPage>(request, "/api/v1/tasks?limit=1")).items[0];
      if (!task) throw new Error("the e2e estate opens renewal tasks");
      const pages = [
        ["overview", "/"],
        ["hosts", "/hosts"],
        ["host detail", `/hosts/${fqdnOf("agent08")}`],
        ["certificate", `/certificates/${sha256}`],
        ["rules", "/rules"],
        ["not found", "/hosts/nobody.fleet.e2e.test"],
        ["tasks board", "/tasks?view=board"],
        ["tasks list", "/tasks?view=list"],
        ["task", `/tasks/${task.id}`],
        ["admin users", "/admin/users"],
        ["admin tokens", "/admin/tokens"],
        ["trust anchors", "/admin/trust-anchors"],
        ["settings", "/admin/settings"],
        ["inventory", "/admin/inventory"],
        ["notifications", "/admin/notifications"],
        ["reports", "/reports"],
        ["audit log", "/admin/audit"],
        ["sign-in", "/login"],
      ] as const;

      for (const [name, path] of pages) {
        await page.goto(path);
        await settled(page);
        const results = await new AxeBuilder({ page })
          .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
          .analyze();
        const blocking = results.violations.filter(
          (violation) => violation.impact === "serious" || violation.impact === "critical",
        );
        const report = blocking.map(
          (violation) =>
            `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes
              .slice(0, 5)
              .map((node) => node.target.join(" "))
              .join("\n  ")}`,
        );
        expect(report, `${name} (${scheme})`).toEqual([]);
        await attachScreenshot(page, testInfo, `${name} (${scheme})`);
      }
    });
  });
}

test.describe("display and keyboard", () => {
  test("the theme toggle overrides the system and persists", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/");
    const html = page.locator("html");
    const toggle = page.getByTestId("theme-toggle");
    await expect(toggle).toHaveAttribute("data-theme-choice", "system");
    await toggle.click(); // → light
    await toggle.click(); // → dark
    await expect(html).toHaveAttribute("data-theme", "dark");
    const background = () => page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    const dark = await background();
    await page.reload();
    await expect(html).toHaveAttribute("data-theme", "dark");
    expect(await background()).toBe(dark);
    await toggle.click(); // → back to the system's (light)
    await expect(html).not.toHaveAttribute("data-theme", /./);
    expect(await background()).not.toBe(dark);
  });

  test("large type scales the page and persists", async ({ page }) => {
    await page.goto("/");
    const rootSize = () =>
      page.evaluate<number>("parseFloat(getComputedStyle(document.documentElement).fontSize)");
    const before = await rootSize();
    await page.getByTestId("scale-toggle").click();
    await expect(page.getByTestId("scale-toggle")).toHaveAttribute("aria-pressed", "true");
    expect(await rootSize()).toBeGreaterThan(before);
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-scale", "large");
  });

  test("skip link, landmarks and the live indicator", async ({ page }) => {
    await page.goto("/hosts");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Hosts", exact: true })).toHaveAttribute(
      "aria-current",
      "page",
    );
    const live = page.locator("[data-live]");
    await expect(live).toHaveAttribute("data-live", /^(connected|reconnecting)$/);
    await expect(live).toHaveAttribute("aria-live", "polite");
  });
});
