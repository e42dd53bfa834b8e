import { describe, expect, it } from "vitest";
import { loginHref, safeNext } from "../src/lib/auth-redirect";

describe("safeNext", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeNext("/hosts?status=error")).toBe("/hosts?status=error");
    expect(safeNext("/tasks/12#history")).toBe("/tasks/12#history");
  });

  it("falls back to / for anything that could leave the site", () => {
    for (const next of [
      null,
      undefined,
      "",
      "hosts",
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
    ])
      expect(safeNext(next)).toBe("/");
  });

  it("never sends the user back to the sign-in page", () => {
    expect(safeNext("/login")).toBe("/");
    expect(safeNext("/login?next=/hosts")).toBe("/");
  });
});

describe("loginHref", () => {
  it("carries the current path and search as ?next=", () => {
    expect(loginHref("/hosts", "?status=error&role=Agent")).toBe(
      "/login?next=%2Fhosts%3Fstatus%3Derror%26role%3DAgent",
    );
    expect(loginHref("/tasks", "view=list")).toBe("/login?next=%2Ftasks%3Fview%3Dlist");
  });

  it("leaves next out when it would be / anyway", () => {
    expect(loginHref("/", "")).toBe("/login");
    expect(loginHref("/login", "?next=/x")).toBe("/login");
  });
});
