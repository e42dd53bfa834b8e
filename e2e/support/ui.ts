import type { HostPage, Summary } from "@certfleet/contracts";
import { type APIRequestContext, expect, type Page, type TestInfo } from "@playwright/test";

/** GET a JSON body from the API, through the web app's same-origin proxy like the browser does. */
export async function apiGet<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  expect(response.ok(), `GET ${path} → ${response.status()}`).toBe(true);
  return (await response.json()) as T;
}

export const getSummary = (request: APIRequestContext) => apiGet<Summary>(request, "/api/v1/summary");

/** Every host the API lists for a query string (all pages). */
export async function listAll(request: APIRequestContext, query: string): Promise<HostPage> {
  const separator = query ? "&" : "";
  return apiGet<HostPage>(request, `/api/v1/hosts?${query}${separator}limit=500`);
}

/** Waits until nothing on the page is loading (skeletons and fetching tables carry aria-busy). */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/** Numbers are shown with thousands separators. */
export const shown = (n: number) => new Intl.NumberFormat("en-US").format(n);
