/**
 * The web side of "which hosts need a channel certificate" (issue 13): the overview's Kerberos count
 * opens the host list filtered to exactly those hosts, and the host page says why and whether the
 * findings still wait for the next report.
 */
import type { CertificateAuthentication, HostDetail } from "@certfleet/contracts";
import { describe, expect, it } from "vitest";
import {
  CERTIFICATE_AUTH_REASON_LABEL,
  certificateAuthHeadline,
  choiceOf,
  settingApplies,
  settingOf,
  waitsForNextReport,
} from "../src/lib/certificate-auth";
import { hostsHref, parseHostQuery, toggleMulti } from "../src/lib/host-query";

const auth = (overrides: Partial<CertificateAuthentication> = {}): CertificateAuthentication => ({
  required: false,
  reason: "group-setting",
  hostSetting: null,
  groupSetting: false,
  usesKerberos: true,
  ...overrides,
});
const reported = { lastReportAt: "2026-11-29T10:00:00.000Z" };
const noRegistry: HostDetail["registry"] = { serialAsStored: null, serialAsCertificate: null, hash: null };

describe("the authentication filter", () => {
  it("reads the summary's usesKerberos query and links to it unchanged", () => {
    const { params, ignored } = parseHostQuery(new URLSearchParams("authentication=kerberos"));
    expect(ignored).toEqual([]);
    expect(params).toEqual({ authentication: "kerberos" });
    expect(hostsHref("authentication=kerberos")).toBe("/hosts?authentication=kerberos");
    expect(hostsHref({ managementGroup: "MG-EAST", authentication: "kerberos" })).toBe(
      "/hosts?managementGroup=MG-EAST&authentication=kerberos",
    );
  });

  it("drops values the API would refuse and toggles in canonical order", () => {
    const { params, ignored } = parseHostQuery(new URLSearchParams("authentication=ntlm"));
    expect(params).toEqual({});
    expect(ignored).toEqual(["authentication=ntlm"]);
    const both = toggleMulti({ authentication: "certificate" }, "authentication", "kerberos");
    expect(both).toEqual({ authentication: "kerberos,certificate" });
  });
});

describe("certificate authentication on the host page", () => {
  it("maps the three setting choices to the API's true / false / null and back", () => {
    for (const setting of [true, false, null]) expect(settingOf(choiceOf(setting))).toBe(setting);
    expect(choiceOf(false)).toBe("not-required");
  });

  it("says why, for every reason the API can give", () => {
    expect(CERTIFICATE_AUTH_REASON_LABEL.gateway).toMatch(/gateway/i);
    expect(CERTIFICATE_AUTH_REASON_LABEL.workgroup).toMatch(/not domain-joined/);
    expect(certificateAuthHeadline(auth())).toBe("Not required: uses Kerberos");
    expect(certificateAuthHeadline(auth({ required: true, usesKerberos: false }))).toBe(
      "Certificate authentication required",
    );
  });

  it("offers no setting where none applies (gateway, workgroup)", () => {
    expect(settingApplies(auth({ required: true, reason: "gateway" }))).toBe(false);
    expect(settingApplies(auth({ required: true, reason: "workgroup" }))).toBe(false);
    expect(settingApplies(auth({ reason: "default", required: true }))).toBe(true);
  });

  it("says the findings wait for the next report only when the decision and the newest evaluation disagree", () => {
    // Just turned off for a host with no certificate: still an error until it reports.
    expect(waitsForNextReport(auth({ usesKerberos: false }), reported, noRegistry)).toBe(true);
    // Turned back on for a Kerberos host.
    expect(waitsForNextReport(auth({ required: true, usesKerberos: true }), reported, noRegistry)).toBe(true);
    // Agreeing: nothing to wait for.
    expect(waitsForNextReport(auth(), reported, noRegistry)).toBe(false);
    // A certificate is configured: such a host is never "uses Kerberos", so nothing pends.
    const configured = { ...noRegistry, serialAsStored: "0800" };
    expect(waitsForNextReport(auth({ usesKerberos: false }), reported, configured)).toBe(false);
    // Never reported: nothing was evaluated.
    expect(waitsForNextReport(auth({ usesKerberos: false }), { lastReportAt: null }, noRegistry)).toBe(false);
  });
});
