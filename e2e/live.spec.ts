import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { API_PORT, WEB_URL } from "./support/env";
import { createLivePki, type LivePki, liveReport, postReport, stackDatabaseUrl } from "./support/live";

const API = `http://127.0.0.1:${API_PORT}`;
const SECOND_API_PORT = 3102;
let pki: LivePki;

test.beforeAll(async () => {
  pki = await createLivePki();
});

const uniqueHost = (label: string) => `${label}-${Date.now().toString(36)}.live.e2e.test`;
const rowStatus = (page: Page, fqdn: string) =>
  page.locator(`[data-testid=host-row][data-host="${fqdn}"] [data-status]`).first();
const detailStatus = (page: Page) => page.locator("[data-testid=host-detail] [data-status]").first();

/** Marks the page's JavaScript realm; a reload would start a fresh one without the mark. */
type Marked = { certfleetNoReloadMark?: boolean };
async function markNoReload(page: Page) {
  await page.evaluate(() => {
    (globalThis as Marked).certfleetNoReloadMark = true;
  });
}
async function expectNoReload(page: Page) {
  const marked = await page.evaluate(() => (globalThis as Marked).certfleetNoReloadMark === true);
  expect(marked, `${page.url()} was not reloaded`).toBe(true);
}

test("a report that turns a host from ok to error updates the list row, the tiles and the open detail page within 2 s", async ({
  browser,
}) => {
  const fqdn = uniqueHost("flip");
  await postReport(API, await liveReport(pki, fqdn, false));
  const context = await browser.newContext();
  const overview = await context.newPage();
  const list = await context.newPage();
  const detail = await context.newPage();
  await overview.goto(`${WEB_URL}/`);
  await list.goto(`${WEB_URL}/hosts?q=${encodeURIComponent(fqdn)}`);
  await detail.goto(`${WEB_URL}/hosts/${fqdn}`);
  for (const page of [overview, list, detail]) {
    await expect(page.locator("[data-live=connected]")).toBeVisible();
    await markNoReload(page);
  }
  await expect(rowStatus(list, fqdn)).toHaveAttribute("data-status", "ok");
  await expect(detailStatus(detail)).toHaveAttribute("data-status", "ok");
  const errorTile = overview.getByTestId("tile-error");
  const errorsBefore = Number(await errorTile.getAttribute("data-count"));

  const broken = await liveReport(pki, fqdn, true);
  await postReport(API, broken);
  await expect(rowStatus(list, fqdn)).toHaveAttribute("data-status", "error", { timeout: 2000 });
  await expect(detailStatus(detail)).toHaveAttribute("data-status", "error", { timeout: 2000 });
  await expect(errorTile).toHaveAttribute("data-count", String(errorsBefore + 1), { timeout: 2000 });
  for (const page of [overview, list, detail]) await expectNoReload(page);
  await context.close();
});

test("a dropped live connection shows reconnecting, and reports posted meanwhile appear after reconnection", async ({
  page,
}) => {
  const fqdn = uniqueHost("drop");
  await postReport(API, await liveReport(pki, fqdn, false));
  let refuse = false;
  const open: { close: () => Promise<void> }[] = [];
  await page.routeWebSocket(/\/api\/v1\/stream/, (socket) => {
    if (refuse) {
      void socket.close({ code: 1013, reason: "test: server unavailable" });
      return;
    }
    socket.connectToServer();
    open.push({ close: () => socket.close({ code: 1012, reason: "test: restart" }) });
  });
  await page.goto(`${WEB_URL}/hosts?q=${encodeURIComponent(fqdn)}`);
  await expect(page.locator("[data-live=connected]")).toBeVisible();
  await expect(rowStatus(page, fqdn)).toHaveAttribute("data-status", "ok");
  await markNoReload(page);

  refuse = true;
  for (const socket of open.splice(0)) await socket.close();
  await expect(page.locator("[data-live=reconnecting]")).toBeVisible();
  await postReport(API, await liveReport(pki, fqdn, true));
  await page.waitForTimeout(500);
  await expect(rowStatus(page, fqdn)).toHaveAttribute("data-status", "ok"); // nothing arrives while down

  refuse = false;
  await expect(page.locator("[data-live=connected]")).toBeVisible({ timeout: 15_000 });
  await expect(rowStatus(page, fqdn)).toHaveAttribute("data-status", "error", { timeout: 5000 });
  await expectNoReload(page);
});

test.describe("two API instances on one database", () => {
  let second: ChildProcess | null = null;

  test.beforeAll(async () => {
    second = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: {
        ...process.env,
        DATABASE_URL: await stackDatabaseUrl(),
        API_PORT: String(SECOND_API_PORT),
        CERTFLEET_SEED_DEMO: "false",
        LOG_LEVEL: "warn",
      },
      stdio: "inherit",
    });
    await expect
      .poll(
        async () => (await fetch(`http://127.0.0.1:${SECOND_API_PORT}/api/health`).catch(() => null))?.status,
        {
          timeout: 60_000,
        },
      )
      .toBe(200);
  });

  test.afterAll(async () => {
    second?.kill("SIGTERM");
  });

  test("a report posted to one instance appears on a page connected to the other", async ({ page }) => {
    const fqdn = uniqueHost("twin");
    await postReport(API, await liveReport(pki, fqdn, false));
    await page.goto(`${WEB_URL}/hosts/${fqdn}`); // the web app talks to the first instance
    await expect(page.locator("[data-live=connected]")).toBeVisible();
    await expect(detailStatus(page)).toHaveAttribute("data-status", "ok");
    await postReport(`http://127.0.0.1:${SECOND_API_PORT}`, await liveReport(pki, fqdn, true));
    await expect(detailStatus(page)).toHaveAttribute("data-status", "error", { timeout: 2000 });
  });
});
