import type { HostPage } from "@certfleet/contracts";
import { expect, test } from "@playwright/test";
import { WEB_URL } from "./support/env";
import { ensureEstate, fqdnOf } from "./support/estate";
import { apiGet, attachScreenshot, getSummary, listAll, settled } from "./support/ui";

test.beforeAll(async () => {
  await ensureEstate(WEB_URL);
});

const rowHosts = (page: import("@playwright/test").Page) =>
  page.getByTestId("host-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-host") ?? ""));

test.describe("hosts", () => {
  test("filters from the URL use the API's vocabulary", async ({ page, request }, testInfo) => {
    const query = "role=Gateway,ManagementServer&expiresWithinDays=30";
    const expected = await listAll(request, query);
    expect(expected.total).toBeGreaterThan(0);

    await page.goto(`/hosts?${query}`);
    await settled(page);
    await expect(page.getByTestId("host-total")).toHaveAttribute("data-total", String(expected.total));
    expect(await rowHosts(page)).toEqual(expected.items.map((item) => item.fqdn));
    await expect(page.locator('[data-filter="role"] [data-value="Gateway"]')).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await expect(page.locator('[data-filter="role"] [data-value="Agent"]')).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    await expect(page.getByLabel("Expires within")).toHaveValue("30");
    await attachScreenshot(page, testInfo, "hosts filtered by URL");
  });

  test("every summary query pasted after /hosts? lists its count", async ({ page, request }) => {
    const summary = await getSummary(request);
    const counts = [
      ...summary.byStatus,
      ...summary.byRole,
      ...summary.expiry,
      ...summary.topFailingRules.slice(0, 3),
    ];
    for (const count of counts.filter((row) => row.count > 0)) {
      await page.goto(`/hosts?${count.query}`);
      await settled(page);
      await expect(page.getByTestId("host-total"), count.query).toHaveAttribute(
        "data-total",
        String(count.count),
      );
      await expect(page.getByTestId("host-row"), count.query).toHaveCount(count.count);
    }
  });

  test("filter controls write the URL and the table follows", async ({ page, request }) => {
    await page.goto("/hosts");
    await settled(page);
    const all = await listAll(request, "");
    await expect(page.getByTestId("host-total")).toHaveAttribute("data-total", String(all.total));

    await page.locator('[data-filter="role"] [data-value="Agent"]').click();
    await expect(page).toHaveURL(/\/hosts\?role=Agent$/);
    await settled(page);
    const agents = await listAll(request, "role=Agent");
    await expect(page.getByTestId("host-row")).toHaveCount(agents.total);

    await page.getByLabel("Management group").selectOption("MG-E2E-DMZ");
    await expect(page).toHaveURL(/role=Agent&managementGroup=MG-E2E-DMZ$/);
    await settled(page);
    const dmzAgents = await listAll(request, "role=Agent&managementGroup=MG-E2E-DMZ");
    expect(await rowHosts(page)).toEqual(dmzAgents.items.map((item) => item.fqdn));

    // Search is debounced and lands in the URL as `q`.
    await page.getByRole("button", { name: /Clear 2 filters/ }).click();
    await expect(page).toHaveURL(/\/hosts$/);
    await page.getByLabel("Search FQDN").fill("gw0");
    await expect(page).toHaveURL(/\/hosts\?q=gw0$/);
    await settled(page);
    expect(await rowHosts(page)).toEqual([fqdnOf("gw02"), fqdnOf("gw01")]);

    // A failing rule, from the rule catalogue.
    await page.getByLabel("Search FQDN").fill("");
    await expect(page).toHaveURL(/\/hosts$/);
    await page.getByLabel("Failing rule").selectOption("csp-not-ksp");
    await expect(page).toHaveURL(/rule=csp-not-ksp/);
    await settled(page);
    expect(await rowHosts(page)).toEqual([fqdnOf("agent04")]);

    // Back returns to the previous filter.
    await page.goBack();
    await expect(page).toHaveURL(/\/hosts$/);
  });

  test("sorting is the API's, and the header says so", async ({ page, request }) => {
    await page.goto("/hosts");
    await settled(page);
    const header = page.getByRole("columnheader", { name: /Host/ });
    await header.getByRole("button").click();
    await expect(page).toHaveURL(/sort=fqdn/);
    await expect(header).toHaveAttribute("aria-sort", "ascending");
    await settled(page);
    const byName = await apiGet<HostPage>(request, "/api/v1/hosts?sort=fqdn&limit=500");
    expect(await rowHosts(page)).toEqual(byName.items.map((item) => item.fqdn));

    await header.getByRole("button").click();
    await expect(page).toHaveURL(/sort=fqdn&order=desc/);
    await expect(header).toHaveAttribute("aria-sort", "descending");
    await settled(page);
    expect(await rowHosts(page)).toEqual(byName.items.map((item) => item.fqdn).reverse());
  });

  test("an unknown filter value is ignored and said so", async ({ page }) => {
    await page.goto("/hosts?status=broken&role=Gateway");
    await settled(page);
    await expect(page.getByRole("note")).toContainText("status=broken");
    await expect(page.getByTestId("host-row")).toHaveCount(2);
  });
});
