import { describe, expect, it } from "vitest";
import { singleFlight } from "../src/services/single-flight";

describe("singleFlight", () => {
  it("shares one run among concurrent callers and serves it until it is older than maxAge", async () => {
    let runs = 0;
    const get = singleFlight(async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return runs;
    }, 100);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    expect(await get()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 110));
    expect(await get()).toBe(2);
  });

  it("computes every time with maxAge 0, and forgets a failure at once", async () => {
    let runs = 0;
    const fresh = singleFlight(async () => ++runs, 0);
    await fresh();
    await fresh();
    expect(runs).toBe(2);
    let fail = true;
    const flaky = singleFlight(async () => {
      if (fail) throw new Error("database down");
      return "ok";
    }, 60_000);
    await expect(flaky()).rejects.toThrow("database down");
    fail = false;
    expect(await flaky()).toBe("ok");
  });

  it("computes afresh after invalidate, even while the old result is young", async () => {
    let runs = 0;
    const get = singleFlight(async () => ++runs, 60_000);
    expect(await get()).toBe(1);
    expect(await get()).toBe(1);
    get.invalidate();
    expect(await get()).toBe(2);
  });
});
