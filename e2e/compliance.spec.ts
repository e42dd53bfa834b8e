import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { HostPage } from "@certfleet/contracts";
import { expect, test } from "@playwright/test";
import { WEB_URL } from "./support/env";
import { ensureEstate } from "./support/estate";
import { apiGet, attachScreenshot, settled } from "./support/ui";

test.beforeAll(async () => {
  await ensureEstate(WEB_URL);
});

test("exports the hosts shown as CSV with progress, one line per host", async ({
  page,
  request,
}, testInfo) => {
  const { total } = await apiGet<HostPage>(request, "/api/v1/hosts?role=Agent&limit=1");
  await page.goto(`${WEB_URL}/hosts?role=Agent`);
  await settled(page);
  const download = page.waitForEvent("download");
  await page.getByTestId("export-menu").getByRole("button", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^certfleet-hosts-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile(await file.path(), "utf8")).trim().split(/\r?\n/);
  expect(lines).toHaveLength(total + 1);
  expect(lines.slice(1).every((line) => line.includes("Agent"))).toBe(true);
  await expect(page.getByText(`(${total} rows)`)).toBeVisible();
  await attachScreenshot(page, testInfo, "hosts export saved");
});

test("a lead takes a compliance report, verifies it intact, downloads its PDF and compares two", async ({
  page,
  request,
}, testInfo) => {
  await page.goto(`${WEB_URL}/reports`);
  for (const title of ["E2E baseline", "E2E follow-up"]) {
    await page.getByLabel("Report title").fill(title);
    await page.getByRole("button", { name: "Take report" }).click();
    await expect(page.locator("tr[data-report-id]", { hasText: title })).toBeVisible({ timeout: 30_000 });
  }
  const row = page.locator("tr[data-report-id]", { hasText: "E2E follow-up" });
  await row.getByRole("button", { name: "Verify" }).click();
  await expect(row.getByTestId("verify-result")).toHaveText(/Intact/);

  const pdfHref = await row.getByRole("link", { name: "PDF of E2E follow-up" }).getAttribute("href");
  const pdf = await request.get(String(pdfHref));
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toContain("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  for (const [select, title] of [
    ["From report", "E2E baseline"],
    ["To report", "E2E follow-up"],
  ] as const) {
    const value = await page
      .getByLabel(select)
      .locator("option", { hasText: title })
      .first()
      .getAttribute("value");
    await page.getByLabel(select).selectOption(String(value));
  }
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(/\/reports\/compare\?from=\d+&to=\d+/);
  await expect(page.getByTestId("diff-unchanged")).toBeVisible();
  await attachScreenshot(page, testInfo, "two reports compared");
});

test("an admin adds a signed webhook channel and its test message arrives, signed", async ({
  page,
}, testInfo) => {
  const received: { body: string; signature: string; timestamp: string }[] = [];
  const receiver = createServer(async (request: IncomingMessage, response) => {
    let body = "";
    for await (const chunk of request) body += String(chunk);
    received.push({
      body,
      signature: String(request.headers["x-certfleet-signature"] ?? ""),
      timestamp: String(request.headers["x-certfleet-timestamp"] ?? ""),
    });
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  try {
    await page.goto(`${WEB_URL}/admin/notifications`);
    await page.getByLabel("Channel name").fill("E2E receiver");
    await page.getByLabel("Kind").selectOption("webhook");
    await page.getByLabel("Recipients or URL").fill(`http://127.0.0.1:${port}/certfleet`);
    await page.getByRole("button", { name: "Add channel" }).click();
    const secret = (await page.getByTestId("new-webhook-secret-value").textContent())?.trim() ?? "";
    expect(secret.length).toBeGreaterThan(20);

    const channel = page.getByTestId("channels").locator("[data-channel-id]", { hasText: "E2E receiver" });
    await channel.getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    const [delivery] = received;
    // Signed over "<timestamp>.<body>" (docs/notifications.md).
    const signed = `${delivery?.timestamp}.${delivery?.body}`;
    const expected = `sha256=${createHmac("sha256", secret).update(signed).digest("hex")}`;
    expect(delivery?.signature).toBe(expected);
    await expect(page.getByTestId("notification-history")).toContainText(/Delivered/);
    await attachScreenshot(page, testInfo, "notification channel and history");
  } finally {
    receiver.close();
  }
});
