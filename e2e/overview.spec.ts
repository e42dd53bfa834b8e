import { expect, test } from "@playwright/test";
import { WEB_URL } from "./support/env";
import { ensureEstate } from "./support/estate";
import { apiGet, attachScreenshot, getSummary, listAll, settled, shown } from "./support/ui";

test.beforeAll(async () => {
  await ensureEstate(WEB_URL);
});

test.describe("overview", () => {
  test("every number matches GET /api/v1/summary", async ({ page, request }, testInfo) => {
    const summary = await getSummary(request);
    expect(summary.total.count).toBeGreaterThanOrEqual(12);
    await page.goto("/");
    await settled(page);

    for (const status of ["ok", "warning", "error"] as const) {
      const expected = summary.byStatus.find((row) => row.key === status)?.count ?? 0;
      const tile = page.getByTestId(`tile-${status}`);
      await expect(tile).toHaveAttribute("data-count", String(expected));
      await expect(tile.locator(".tile-count")).toHaveText(shown(expected));
    }
    const notReporting = summary.reporting
      .filter((row) => row.key === "silent" || row.key === "never")
      .reduce((sum, row) => sum + row.count, 0);
    await expect(page.getByTestId("tile-not-reporting")).toHaveAttribute("data-count", String(notReporting));

    const groups = [
      ["expiry-buckets", summary.expiry],
      ["breakdown-by-role", summary.byRole],
      ["breakdown-by-group", summary.byManagementGroup],
      ["breakdown-reporting", summary.reporting],
      ["failing-rules", summary.topFailingRules],
    ] as const;
    for (const [testId, rows] of groups) {
      const section = page.getByTestId(testId);
      for (const row of rows) {
        const link = section.locator(`a[data-key="${row.key ?? ""}"]`);
        await expect(link, `${testId} ${row.key}`).toHaveText(shown(row.count));
        await expect(link).toHaveAttribute("href", row.query ? `/hosts?${row.query}` : "/hosts");
      }
    }

    // The timeline's numbers are the list's totals for "expires within N days".
    for (const days of [30, 90, 180]) {
      const expiring = await apiGet<{ total: number }>(
        request,
        `/api/v1/hosts?expiresWithinDays=${days}&limit=1`,
      );
      const link = page.getByTestId("expiry-timeline").locator(`a[data-key="within-${days}"]`);
      await expect(link, `within ${days} days`).toHaveText(shown(expiring.total));
      if (days === 180)
        await expect(page.getByTestId("timeline-total")).toHaveText(
          `${shown(expiring.total)} expiring within 180 days`,
        );
    }
    await attachScreenshot(page, testInfo, "overview");
  });

  test("a status tile opens the matching filtered list", async ({ page, request }) => {
    const summary = await getSummary(request);
    const error = summary.byStatus.find((row) => row.key === "error");
    expect(error?.count, "the e2e estate has hosts in error").toBeGreaterThan(0);

    await page.goto("/");
    await page.getByTestId("tile-error").click();
    await expect(page).toHaveURL(/\/hosts\?status=error$/);
    await settled(page);
    await expect(page.getByTestId("host-total")).toHaveAttribute("data-total", String(error?.count));
    await expect(page.getByTestId("host-row")).toHaveCount(error?.count ?? 0);
    for (const badge of await page.getByTestId("host-row").locator("[data-status]").all())
      await expect(badge).toHaveAttribute("data-status", "error");
    await expect(page.locator('[data-filter="status"] [data-value="error"]')).toHaveAttribute(
      "aria-pressed",
      "true",
    );

    // Not reporting = silent + never: one list of both.
    await page.goto("/");
    await page.getByTestId("tile-not-reporting").click();
    await expect(page).toHaveURL(/reporting=silent%2Cnever|reporting=silent,never/);
    await settled(page);
    const silent = await listAll(request, "reporting=silent,never");
    await expect(page.getByTestId("host-total")).toHaveAttribute("data-total", String(silent.total));
    await expect(page.getByTestId("host-row")).toHaveCount(silent.items.length);
  });

  test("an expiry bar and a breakdown number open their lists", async ({ page, request }) => {
    const summary = await getSummary(request);
    const bucket = summary.expiry.find((row) => row.key === "expired");
    if (!bucket || bucket.count === 0) throw new Error("the e2e estate has an expired certificate");

    await page.goto("/");
    await settled(page);
    // The chart's bars are links too (for the mouse), labelled like the numbers beside the chart.
    const bar = page.getByTestId("expiry-buckets").locator('svg a.chart-link[aria-label^="Expired:"]');
    await bar.click();
    await expect(page).toHaveURL(new RegExp(`/hosts\\?${bucket.query}$`));
    await settled(page);
    await expect(page.getByTestId("host-total")).toHaveAttribute("data-total", String(bucket.count));

    const group = summary.byManagementGroup.find((row) => row.key === "MG-E2E-DMZ");
    if (!group) throw new Error("MG-E2E-DMZ missing from the summary");
    await page.goto("/");
    await page.getByTestId("breakdown-by-group").locator('a[data-key="MG-E2E-DMZ"]').click();
    await expect(page).toHaveURL(/managementGroup=MG-E2E-DMZ/);
    await settled(page);
    await expect(page.getByTestId("host-row")).toHaveCount(group.count);
  });
});
