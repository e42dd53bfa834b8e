/**
 * subject-fqdn, second pass (issue 13, "Certificate rules": "Subject"). Sources: the seed, "Certificate
 * Requirements" (Subject "CN=server.contoso.com": "the FQDN of the target, or how the system shows in
 * DNS") and the Certificate Manager Subject tab ("the *first* name must match the hostname or BIOS name");
 * issue 13 for several CNs without a DNS SubjectAltName and for which hosts may use a NetBIOS name.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateHost } from "../src/index";
import { certificateNamesHost, subjectCommonNamesOf } from "../src/names";
import type { HostIdentity, ParsedCertificate } from "../src/types";
import { createFixture, evidence, type Fixture, findingsOf, HOST, hostInput } from "./support/fixture";

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});

const GATEWAY: HostIdentity = { fqdn: "gw07.dmz.contoso.com", role: "Gateway", domainJoined: false };
/** A workgroup gateway known only by its single-label name, as the computer itself reports it. */
const WORKGROUP_GW07: HostIdentity = {
  fqdn: "GW07",
  role: "Gateway",
  domainJoined: false,
  dnsHostName: "GW07",
};

const subjectOf = (certificate: ParsedCertificate, host: HostIdentity) =>
  findingsOf(evaluateHost(hostInput(fx, evidence(certificate), { host })), "subject-fqdn");
const subjectFindings = async (subject: string, host: HostIdentity, dnsNames: string[] = []) =>
  subjectOf(await fx.leaf({ subject, dnsNames }), host);

describe("several CNs and no DNS SubjectAltName (issue 13)", () => {
  it("is an error naming every CN when none names the host", async () => {
    const findings = await subjectFindings("CN=web.contoso.com, CN=app.contoso.com, O=Contoso", HOST);
    expect(findings.map((f) => f.severity)).toEqual(["error"]);
    expect(findings[0]?.message).toContain('2 CNs ("web.contoso.com" and "app.contoso.com")');
    expect(findings[0]?.message).toContain('"ms01.contoso.com"');
  });

  it("is a warning naming every CN when one names the host, whatever their order", async () => {
    for (const subject of [
      "CN=ms01.contoso.com, CN=web.contoso.com",
      "CN=web.contoso.com, CN=ms01.contoso.com",
      "CN=web.contoso.com+CN=ms01.contoso.com, O=Contoso",
    ]) {
      const findings = await subjectFindings(subject, HOST);
      expect(
        findings.map((f) => f.severity),
        subject,
      ).toEqual(["warning"]);
      expect(findings[0]?.message).toContain('"web.contoso.com"');
      expect(findings[0]?.message).toContain('only "ms01.contoso.com" is the host\'s FQDN');
      expect(findings[0]?.remediation).toContain('"CN=ms01.contoso.com" and one CN only');
    }
  });

  it("a DNS SubjectAltName settles it: SCOM reads the first DNS name, the CNs do not count", async () => {
    expect(
      await subjectFindings("CN=web.contoso.com, CN=ms01.contoso.com", HOST, ["ms01.contoso.com"]),
    ).toEqual([]);
  });

  it("reads the CNs of a parse stored before the list existed from its subject text", async () => {
    const parsed = await fx.leaf({ subject: "CN=web.contoso.com, CN=ms01.contoso.com", dnsNames: [] });
    const { subjectCommonNames: _, ...stored } = parsed;
    expect(subjectCommonNamesOf(stored)).toEqual(["web.contoso.com", "ms01.contoso.com"]);
    expect(subjectOf(stored, HOST).map((f) => f.severity)).toEqual(["warning"]);
    // A subject text that disagrees with the stored first CN: the first CN alone.
    expect(subjectCommonNamesOf({ ...stored, subject: "O=Contoso" })).toEqual(["web.contoso.com"]);
  });

  it("a certificate with two CNs, one naming the host, still counts as naming it (no error)", async () => {
    const both = await fx.leaf({ subject: "CN=web.contoso.com, CN=ms01.contoso.com", dnsNames: [] });
    const neither = await fx.leaf({ subject: "CN=web.contoso.com, CN=app.contoso.com", dnsNames: [] });
    expect(certificateNamesHost(both, HOST)).toBe(true);
    expect(certificateNamesHost(neither, HOST)).toBe(false);
  });
});

describe("a NetBIOS name only for a host known by that single-label name (issue 13)", () => {
  it("a workgroup gateway known as GW07 (its own DNS name single-label too) may use CN=GW07", async () => {
    expect(await subjectFindings("CN=GW07", WORKGROUP_GW07)).toEqual([]);
    expect(await subjectFindings("CN=gw07", { ...WORKGROUP_GW07, dnsHostName: undefined })).toEqual([]);
  });

  it("a gateway known as gw07.dmz.contoso.com needs that FQDN, domain-joined or not, and is told so", async () => {
    for (const host of [GATEWAY, { ...GATEWAY, dnsHostName: "GW07" }]) {
      const findings = await subjectFindings("CN=GW07", host);
      expect(findings.map((f) => f.severity)).toEqual(["error"]);
      const message = findings[0]?.message ?? "";
      expect(message).toContain('"GW07"');
      expect(message).toContain('known by the FQDN "gw07.dmz.contoso.com"');
      expect(message).toContain("NetBIOS");
      expect(findings[0]?.remediation).toContain('Subject "CN=gw07.dmz.contoso.com"');
    }
    expect(await subjectFindings("CN=gw07.dmz.contoso.com", GATEWAY)).toEqual([]);
  });

  it("a host certfleet knows by a single label but whose computer reports an FQDN needs that FQDN", async () => {
    const host: HostIdentity = { ...WORKGROUP_GW07, dnsHostName: "gw07.dmz.contoso.com" };
    const findings = await subjectFindings("CN=GW07", host);
    expect(findings.map((f) => f.severity)).toEqual(["error"]);
    expect(findings[0]?.message).toContain(`the computer's own DNS name "gw07.dmz.contoso.com"`);
    expect(await subjectFindings("CN=gw07.dmz.contoso.com", host)).toEqual([]);
  });

  it("a single-label name that is not the host's first label is a plain mismatch, without the NetBIOS note", async () => {
    const findings = await subjectFindings("CN=GW08", GATEWAY);
    expect(findings[0]?.message).not.toContain("NetBIOS");
    expect(findings[0]?.message).toContain('not the host\'s FQDN "gw07.dmz.contoso.com"');
  });
});
