import { describe, expect, it } from "vitest";
import { readSsoLinkOutcome } from "../src/lib/sso-api";

describe("readSsoLinkOutcome", () => {
  it("reads what the single sign-on callback put in the address", () => {
    expect(readSsoLinkOutcome("?ssoLinked=1")).toEqual({ linked: true, error: null });
    expect(readSsoLinkOutcome("?tab=x&ssoLinkError=Your+session+ended")).toEqual({
      linked: false,
      error: "Your session ended",
    });
    expect(readSsoLinkOutcome("?tab=x")).toBeNull();
    expect(readSsoLinkOutcome("")).toBeNull();
  });
});
