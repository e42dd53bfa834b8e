import { expect, type Page, test } from "@playwright/test";
import { API_PORT, WEB_URL } from "./support/env";
import { createLivePki, type LivePki, postReport } from "./support/live";
import { issueExpiringIn, renewalReport } from "./support/renewal";
import { createUser } from "./support/session";
import { attachScreenshot } from "./support/ui";

const API = `http://127.0.0.1:${API_PORT}`;
let pki: LivePki;
test.beforeAll(async () => {
  pki = await createLivePki();
});

async function signInThroughUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${WEB_URL}/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** New contexts start from the config's signed-in admin state unless told otherwise. */
const SIGNED_OUT = { storageState: { cookies: [], origins: [] } };

const taskStatus = (page: Page) => page.locator("[data-task-status]").first();

test("a lead assigns a renewal task; the operator sees it appear without a reload and completes it", async ({
  browser,
  request,
}, testInfo) => {
  const stamp = Date.now().toString(36);
  const lead = {
    email: `lead-${stamp}@e2e.test`,
    name: "Lea Lead",
    role: "lead" as const,
    password: "lead-password-e2e",
  };
  const operator = {
    email: `op-${stamp}@e2e.test`,
    name: "Otto Operator",
    role: "operator" as const,
    password: "operator-password-e2e",
  };
  await createUser(request, lead);
  const operatorId = await createUser(request, operator);

  // A gateway whose certificate expires in 10 days: its report opens a renewal task.
  const fqdn = `renew-${stamp}.tasks.e2e.test`;
  const old = await issueExpiringIn(pki, fqdn, 10);
  await postReport(API, renewalReport(fqdn, [old], old));

  const leadContext = await browser.newContext(SIGNED_OUT);
  const operatorContext = await browser.newContext(SIGNED_OUT);
  const leadPage = await leadContext.newPage();
  const operatorPage = await operatorContext.newPage();
  await signInThroughUi(leadPage, lead.email, lead.password);
  await signInThroughUi(operatorPage, operator.email, operator.password);

  // The operator watches their own list; nothing is assigned to them yet.
  await operatorPage.goto(`${WEB_URL}/tasks?view=list&assignee=me`);
  await expect(operatorPage.locator("[data-live=connected]")).toBeVisible();
  await expect(operatorPage.locator("[data-task-id]", { hasText: fqdn })).toHaveCount(0);
  await operatorPage.evaluate(() => {
    (globalThis as { noReload?: boolean }).noReload = true;
  });

  // The lead finds the task on the board and assigns it.
  await leadPage.goto(`${WEB_URL}/tasks?view=list`);
  await leadPage.locator("[data-task-id]", { hasText: fqdn }).getByRole("link", { name: fqdn }).click();
  const leadDetail = leadPage.getByTestId("task-detail");
  await expect(leadDetail).toBeVisible();
  await expect(taskStatus(leadPage)).toHaveAttribute("data-task-status", "open");
  await leadDetail.getByLabel("Assignee").selectOption(String(operatorId));
  await leadDetail.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(taskStatus(leadPage)).toHaveAttribute("data-task-status", "assigned");
  await attachScreenshot(leadPage, testInfo, "lead assigned the task");

  // It appears on the operator's screen by itself.
  const row = operatorPage.locator("[data-task-id]", { hasText: fqdn });
  await expect(row).toBeVisible({ timeout: 5000 });
  expect(await operatorPage.evaluate(() => (globalThis as { noReload?: boolean }).noReload)).toBe(true);
  await attachScreenshot(operatorPage, testInfo, "operator's list, updated live");

  // The operator works it: start, follow the checklist, import, wait for the collector.
  await row.getByRole("link", { name: fqdn }).click();
  await expect(operatorPage.getByTestId("task-detail")).toBeVisible();
  await expect(operatorPage.getByRole("link", { name: "Download CertReq .inf" })).toBeVisible();
  await expect(operatorPage.getByText("MOMCertImport").first()).toBeVisible();
  await operatorPage.getByRole("button", { name: "Start work" }).click();
  await expect(taskStatus(operatorPage)).toHaveAttribute("data-task-status", "in_progress");
  await operatorPage.getByRole("button", { name: "Imported, awaiting confirmation" }).click();
  await expect(taskStatus(operatorPage)).toHaveAttribute("data-task-status", "awaiting_verification");

  // The collector first sees the renewed certificate bound: that report alone cannot close the task (its
  // 20053 may predate the import). The next one, with a 20053 logged after it, closes it by itself.
  const renewed = await issueExpiringIn(pki, fqdn, 365);
  await postReport(API, renewalReport(fqdn, [old, renewed], renewed));
  await expect(taskStatus(operatorPage)).toHaveAttribute("data-task-status", "awaiting_verification");
  await postReport(API, renewalReport(fqdn, [old, renewed], renewed, new Date()));
  await expect(taskStatus(operatorPage)).toHaveAttribute("data-task-status", "done", { timeout: 5000 });
  await expect(taskStatus(leadPage)).toHaveAttribute("data-task-status", "done", { timeout: 5000 });
  await attachScreenshot(operatorPage, testInfo, "closed by the collector's report");

  await leadContext.close();
  await operatorContext.close();
});

test("the sign-in page says when the password is wrong, and offers no demo accounts without the demo", async ({
  browser,
}) => {
  const context = await browser.newContext(SIGNED_OUT);
  const page = await context.newPage();
  await page.goto(`${WEB_URL}/hosts`);
  await expect(page).toHaveURL(/\/login\?next=%2Fhosts/);
  await page.getByLabel("E-mail").fill("nobody@e2e.test");
  await page.getByLabel("Password").fill("not-a-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong e-mail or password")).toBeVisible();
  await expect(page.getByText("Demo accounts")).toHaveCount(0);
  await context.close();
});

test("an admin changes a setting and finds the change in the audit log, with before and after", async ({
  page,
}) => {
  await page.goto(`${WEB_URL}/admin/settings`);
  const days = page.getByLabel("Due days before expiry");
  await expect(days).toHaveValue(/^\d+$/);
  const before = await days.inputValue();
  const after = before === "10" ? "11" : "10";
  await days.fill(after);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  await page.goto(`${WEB_URL}/admin/audit`);
  await page.getByLabel("Action").fill("setting.update");
  await page.getByRole("button", { name: "Apply" }).click();
  const row = page.locator("tr[data-audit-id]").first();
  await expect(row).toContainText("setting.update");
  await row.getByRole("button", { name: "Details" }).click();
  await expect(page.getByText(`"renewalDueDaysBeforeExpiry": ${after}`).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
    "href",
    /action=setting\.update/,
  );
});
