import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("notification settings from the environment", () => {
  it("has no SMTP by default, and links to the local web app", () => {
    expect(loadConfig({}).notifications).toEqual({
      smtp: null,
      publicUrl: "http://localhost:3000",
      webhookAllow: { hosts: [], cidrs: [] },
      secretKey: null,
    });
  });

  it("reads SMTP and the public URL", () => {
    const config = loadConfig({
      CERTFLEET_SMTP_URL: "smtps://mailer:s3cret@mail.contoso.com:465",
      CERTFLEET_SMTP_FROM: "certfleet <certfleet@contoso.com>",
      CERTFLEET_PUBLIC_URL: "https://certfleet.contoso.com/",
    });
    expect(config.notifications).toMatchObject({
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
    [{ CERTFLEET_WEBHOOK_ALLOW: "10.0.0.0/33" }, "CERTFLEET_WEBHOOK_ALLOW"],
    [{ CERTFLEET_WEBHOOK_ALLOW: "https://chat.corp.local" }, "CERTFLEET_WEBHOOK_ALLOW"],
    [{ CERTFLEET_WEBHOOK_ALLOW: "chat.corp.local/24" }, "CERTFLEET_WEBHOOK_ALLOW"],
    [{ CERTFLEET_SECRET_KEY: "too-short" }, "CERTFLEET_SECRET_KEY"],
    [{ CERTFLEET_SECRET_KEY: "a".repeat(63) }, "CERTFLEET_SECRET_KEY"],
  ])("stops on %o with a message naming %s", (env, setting) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${setting} `));
  });

  it("reads the webhook allow list: host names and CIDRs", () => {
    const config = loadConfig({
      CERTFLEET_WEBHOOK_ALLOW: " Chat.Corp.Local, 10.20.0.0/16 ,fd12::/64,192.168.1.5",
    });
    expect(config.notifications.webhookAllow).toEqual({
      hosts: ["chat.corp.local"],
      cidrs: [
        { address: "10.20.0.0", prefix: 16, family: "ipv4" },
        { address: "fd12::", prefix: 64, family: "ipv6" },
        { address: "192.168.1.5", prefix: 32, family: "ipv4" },
      ],
    });
  });

  it("reads a 32-byte secret key as hex or base64, and never echoes a bad one", () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ CERTFLEET_SECRET_KEY: key.toString("hex") }).notifications.secretKey).toEqual(key);
    expect(loadConfig({ CERTFLEET_SECRET_KEY: key.toString("base64") }).notifications.secretKey).toEqual(key);
    expect(() => loadConfig({ CERTFLEET_SECRET_KEY: "hunter2-hunter2" })).toThrow(
      /^CERTFLEET_SECRET_KEY (?!.*hunter2)/,
    );
  });

  it("never echoes an unparsable SMTP URL (it may hold the password)", () => {
    expect(() =>
      loadConfig({ CERTFLEET_SMTP_URL: "smtp//user:hunter2@mail", CERTFLEET_SMTP_FROM: "a@b.c" }),
    ).toThrow(/^CERTFLEET_SMTP_URL (?!.*hunter2)/);
  });
});
