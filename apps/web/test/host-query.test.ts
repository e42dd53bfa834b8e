import { describe, expect, it } from "vitest";
import { hostsHref, normalize, parseHostQuery, toggleMulti, toSearchParams } from "../src/lib/host-query";

describe("host list URL ↔ API query", () => {
  it("reads the summary's query strings unchanged", () => {
    const { params, ignored } = parseHostQuery(
      new URLSearchParams("rule=csp-not-ksp&findingSeverity=error%2Cwarning&role=Agent"),
    );
    expect(ignored).toEqual([]);
    expect(params).toEqual({ role: "Agent", rule: "csp-not-ksp", findingSeverity: "error,warning" });
    expect(hostsHref(params)).toBe("/hosts?role=Agent&rule=csp-not-ksp&findingSeverity=error%2Cwarning");
  });

  it("keeps an empty managementGroup (hosts without one) and numbers as numbers", () => {
    const { params } = parseHostQuery(new URLSearchParams("managementGroup=&expiresWithinDays=30"));
    expect(params).toEqual({ managementGroup: "", expiresWithinDays: 30 });
    expect(toSearchParams({ ...params, limit: 10, cursor: "abc" }).toString()).toBe(
      "managementGroup=&expiresWithinDays=30&limit=10&cursor=abc",
    );
  });

  it("drops what the API would reject, and says so", () => {
    const { params, ignored } = parseHostQuery(
      new URLSearchParams("status=broken&sort=size&expiresWithinDays=-1&q=%20&role=Gateway&cursor=x"),
    );
    expect(params).toEqual({ role: "Gateway" });
    expect(ignored).toEqual(["status=broken", "sort=size", "expiresWithinDays=-1", "q= "]);
  });

  it("puts comma lists in one canonical order, so equal filters share a cache entry", () => {
    const a = parseHostQuery(new URLSearchParams("reporting=never,silent")).params;
    const b = parseHostQuery(new URLSearchParams("reporting=silent,never,silent")).params;
    expect(a).toEqual({ reporting: "silent,never" });
    expect(b).toEqual(a);
  });

  it("toggles one value of a comma list", () => {
    let params = normalize({ sort: "fqdn" });
    params = toggleMulti(params, "status", "ok");
    params = toggleMulti(params, "status", "error");
    expect(params).toEqual({ status: "error,ok", sort: "fqdn" });
    params = toggleMulti(params, "status", "error");
    params = toggleMulti(params, "status", "ok");
    expect(params).toEqual({ sort: "fqdn" });
  });
});
