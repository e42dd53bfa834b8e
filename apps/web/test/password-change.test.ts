import { describe, expect, it } from "vitest";
import { isPasswordChangeRequired, PASSWORD_CHANGE_REQUIRED } from "../src/lib/account-api";
import { ApiError } from "../src/lib/api";
import { PASSWORD_PATH, passwordChangeHref } from "../src/lib/auth-redirect";

describe("a required password change", () => {
  it("is recognised by the API's problem type, not by any 403", () => {
    const required = new ApiError(403, "Password change required", undefined, {
      type: PASSWORD_CHANGE_REQUIRED,
      title: "Password change required",
      status: 403,
    });
    const role = new ApiError(403, "Not allowed for your role", undefined, {
      type: "https://certfleet.dev/problems/403",
      title: "Not allowed for your role",
      status: 403,
    });
    expect(isPasswordChangeRequired(required)).toBe(true);
    expect(isPasswordChangeRequired(role)).toBe(false);
    expect(isPasswordChangeRequired(new Error("x"))).toBe(false);
  });

  it("sends the user to the form and back to where they were, never to another site or to the form", () => {
    expect(passwordChangeHref("/hosts?status=error")).toBe(`${PASSWORD_PATH}?next=%2Fhosts%3Fstatus%3Derror`);
    expect(passwordChangeHref("/")).toBe(PASSWORD_PATH);
    expect(passwordChangeHref("//evil.example")).toBe(PASSWORD_PATH);
    expect(passwordChangeHref(PASSWORD_PATH)).toBe(PASSWORD_PATH);
    expect(passwordChangeHref(`${PASSWORD_PATH}?next=%2Fhosts`)).toBe(PASSWORD_PATH);
  });
});
