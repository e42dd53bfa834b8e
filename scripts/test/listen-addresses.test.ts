import { describe, expect, test } from "vitest";
import { listenAddresses } from "../listen-addresses.mjs";

describe("pnpm start's listen addresses", () => {
  test("are loopback by default, for the API and for next start (which binds every interface without -H)", () => {
    const plan = listenAddresses({});
    expect(plan.apiHost).toBe("127.0.0.1");
    expect(plan.webHost).toBe("127.0.0.1");
    expect(plan.nextStartArgs).toEqual(["start", "-p", "3000", "-H", "127.0.0.1"]);
    expect(plan.apiUrl).toBe("http://127.0.0.1:3001");
  });

  test("follow CERTFLEET_API_HOST / CERTFLEET_WEB_HOST, reaching a wildcard bind on loopback", () => {
    const plan = listenAddresses({
      CERTFLEET_API_HOST: "0.0.0.0",
      CERTFLEET_WEB_HOST: "::",
      API_PORT: "4001",
      WEB_PORT: "4000",
    });
    expect(plan.nextStartArgs).toEqual(["start", "-p", "4000", "-H", "::"]);
    expect(plan.apiUrl).toBe("http://127.0.0.1:4001");
    expect(plan.webUrl).toBe("http://127.0.0.1:4000");
    expect(listenAddresses({ CERTFLEET_API_HOST: "fd00::5" }).apiUrl).toBe("http://[fd00::5]:3001");
  });
});
