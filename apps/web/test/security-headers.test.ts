import { REPORT_BATCH_BODY_LIMIT } from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import nextConfig, { contentSecurityPolicy, PROXY_CLIENT_MAX_BODY_SIZE } from "../next.config";
import { oversizedBodyProblem, PROXY_BODY_LIMIT } from "../src/lib/proxy-body-limit";

/** The headers Next.js would send for `path`, given the request headers, as configured in next.config.ts. */
async function headersFor(requestHeaders: Record<string, string> = {}): Promise<Record<string, string>> {
  const rules = (await nextConfig.headers?.()) ?? [];
  const sent: Record<string, string> = {};
  for (const rule of rules) {
    const applies = (rule.has ?? []).every(
      (condition) =>
        condition.type === "header" &&
        new RegExp(`^${condition.value}$`).test(requestHeaders[condition.key.toLowerCase()] ?? ""),
    );
    expect(rule.source).toBe("/:path*"); // every page, asset and proxied API response
    if (applies) for (const header of rule.headers) sent[header.key.toLowerCase()] = header.value;
  }
  return sent;
}

describe("web app security headers (next.config.ts headers())", () => {
  it("forbid framing, sniffing and cross-origin referrers on every response", async () => {
    const headers = await headersFor();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-frame-options"]).toBe("DENY");
    const csp = headers["content-security-policy"] ?? "";
    expect(csp.split("; ")).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "connect-src 'self'",
      ]),
    );
    // No foreign origin anywhere, and no eval outside `next dev`.
    expect(csp).not.toMatch(/https?:|\*/);
    expect(csp).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy(true)).toContain("'unsafe-eval'");
  });

  it("add HSTS only when the TLS proxy says the request came over https", async () => {
    expect((await headersFor())["strict-transport-security"]).toBeUndefined();
    expect((await headersFor({ "x-forwarded-proto": "http" }))["strict-transport-security"]).toBeUndefined();
    expect((await headersFor({ "x-forwarded-proto": "https" }))["strict-transport-security"]).toMatch(
      /^max-age=31536000/,
    );
  });
});

describe("the /api proxy's body limit", () => {
  it("is the API's own largest (a 16 MiB batch), above Next's 10 MiB default", () => {
    expect(PROXY_CLIENT_MAX_BODY_SIZE).toBe(REPORT_BATCH_BODY_LIMIT);
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBe(REPORT_BATCH_BODY_LIMIT);
    expect(PROXY_BODY_LIMIT).toBe(REPORT_BATCH_BODY_LIMIT);
    expect(REPORT_BATCH_BODY_LIMIT).toBeGreaterThan(10 * 1024 * 1024);
  });

  it("refuses a body declared longer with a 413 problem instead of forwarding it cut short", () => {
    expect(oversizedBodyProblem(String(REPORT_BATCH_BODY_LIMIT))).toBeNull();
    expect(oversizedBodyProblem(null)).toBeNull();
    expect(oversizedBodyProblem(String(REPORT_BATCH_BODY_LIMIT + 1))).toMatchObject({
      status: 413,
      title: "Request body too large",
    });
  });

  it("refuses a body without a length (chunked), which could run past the limit unseen", () => {
    expect(oversizedBodyProblem(null, "chunked")).toMatchObject({ status: 411 });
    expect(oversizedBodyProblem("120", "chunked")).toBeNull();
    expect(oversizedBodyProblem(null, "identity")).toBeNull();
  });
});
