import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("notification settings from the environment", () => {
  it("has no SMTP by default, and links to the local web app", () => {
    expect(loadConfig({}).notifications).toEqual({ smtp: null, publicUrl: "http://localhost:3000" });
  });

  it("reads SMTP and the public URL", () => {
    const config = loadConfig({
      CERTFLEET_SMTP_URL: "smtps://mailer:s3cret@mail.contoso.com:465",
      CERTFLEET_SMTP_FROM: "certfleet <certfleet@contoso.com>",
      CERTFLEET_PUBLIC_URL: "https://certfleet.contoso.com/",
    });
    expect(config.notifications).toEqual({
      smtp: { url: "smtps://mailer:s3cret@mail.contoso.com:465", from: "certfleet <certfleet@contoso.com>" },
      publicUrl: "https://certfleet.contoso.com",
    });
  });

  it.each([
    [{ CERTFLEET_SMTP_URL: "smtp://mail.contoso.com" }, "CERTFLEET_SMTP_FROM"],
    [{ CERTFLEET_SMTP_FROM: "certfleet@contoso.com" }, "CERTFLEET_SMTP_URL"],
    [{ CERTFLEET_SMTP_URL: "https://mail.contoso.com", CERTFLEET_SMTP_FROM: "a@b.c" }, "CERTFLEET_SMTP_URL"],
    [
      { CERTFLEET_SMTP_URL: "smtp://mail.contoso.com", CERTFLEET_SMTP_FROM: "not an address" },
      "CERTFLEET_SMTP_FROM",
    ],
    [{ CERTFLEET_PUBLIC_URL: "ftp://certfleet" }, "CERTFLEET_PUBLIC_URL"],
  ])("stops on %o with a message naming %s", (env, setting) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${setting} `));
  });

  it("never echoes an unparsable SMTP URL (it may hold the password)", () => {
    expect(() =>
      loadConfig({ CERTFLEET_SMTP_URL: "smtp//user:hunter2@mail", CERTFLEET_SMTP_FROM: "a@b.c" }),
    ).toThrow(/^CERTFLEET_SMTP_URL (?!.*hunter2)/);
  });
});
