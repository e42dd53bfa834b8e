import { expect, test } from "@playwright/test";
import { API_PORT, WEB_URL } from "./support/env";
import { createLivePki, liveReport, postReport } from "./support/live";

/**
 * Benchmark, not a test of speed: `pnpm bench:live` prints the time from a report POST to the
 * change on screen (p50/p99 over BENCH_LIVE_REPORTS reports). Excluded from `pnpm test`.
 */
test("@bench time from report POST to the row changing on screen", async ({ page }) => {
  const runs = Number(process.env.BENCH_LIVE_REPORTS ?? 100);
  test.setTimeout(runs * 5000 + 60_000);
  const api = `http://127.0.0.1:${API_PORT}`;
  const pki = await createLivePki();
  const fqdn = `latency-${Date.now().toString(36)}.live.e2e.test`;
  await postReport(api, await liveReport(pki, fqdn, false));
  await page.goto(`${WEB_URL}/hosts?q=${encodeURIComponent(fqdn)}`);
  await expect(page.locator("[data-live=connected]")).toBeVisible();
  const badge = page.locator(`[data-testid=host-row][data-host="${fqdn}"] [data-status]`).first();
  await expect(badge).toHaveAttribute("data-status", "ok");

  // The page samples the row's status every 5 ms (React may replace the element, so attribute
  // observers miss changes) and records each change on the same clock as this process.
  type Recorder = { certfleetChanges?: { at: number; status: string | null }[] };
  await page.evaluate((selector) => {
    const changes: { at: number; status: string | null }[] = [];
    (globalThis as Recorder).certfleetChanges = changes;
    const doc = (
      globalThis as unknown as {
        document: { querySelector: (s: string) => { getAttribute: (n: string) => string | null } | null };
      }
    ).document;
    let last = doc.querySelector(selector)?.getAttribute("data-status") ?? null;
    setInterval(() => {
      const status = doc.querySelector(selector)?.getAttribute("data-status") ?? null;
      if (status !== last) {
        last = status;
        changes.push({ at: Date.now(), status });
      }
    }, 5);
  }, `[data-testid=host-row][data-host="${fqdn}"] [data-status]`);

  const reports = [];
  for (let i = 0; i < runs; i++) reports.push(await liveReport(pki, fqdn, i % 2 === 0));
  const latencies: number[] = [];
  for (const [i, report] of reports.entries()) {
    const expected = i % 2 === 0 ? "error" : "ok";
    const seen = await page.evaluate(() => (globalThis as Recorder).certfleetChanges?.length ?? 0);
    const postedAt = Date.now();
    await postReport(api, report);
    await page.waitForFunction(
      ({ seen, expected }) =>
        ((globalThis as Recorder).certfleetChanges ?? [])
          .slice(seen)
          .some((change) => change.status === expected),
      { seen, expected },
      { timeout: 10_000 },
    );
    const changes = await page.evaluate(() => (globalThis as Recorder).certfleetChanges ?? []);
    const change = changes.slice(seen).find((entry) => entry.status === expected);
    latencies.push((change?.at ?? Date.now()) - postedAt);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  console.log(
    `report POST → row status on screen, n=${sorted.length}: p50=${at(0.5)} ms p95=${at(0.95)} ms p99=${at(0.99)} ms max=${sorted.at(-1)} ms`,
  );
  expect(sorted).toHaveLength(runs);
});
