import { describe, expect, it } from "vitest";
import {
  CertReqInputError,
  certReqFileName,
  certReqInf,
  chooseRequestTemplate,
  MAX_COMMON_NAME_LENGTH,
  nameScomReads,
  type RequestTemplate,
} from "../src/index";

const DMZ = { fqdn: "GW01.dmz.Contoso.com", domainJoined: false };
const DOMAIN = { fqdn: "ms01.contoso.com", domainJoined: true };
const SCOM_TEMPLATE: RequestTemplate = {
  name: "SCOM Channel",
  source: "setting",
  explanation: 'the default template "SCOM Channel" set in Settings is used',
};
const UNSET: RequestTemplate = chooseRequestTemplate(null, {
  defaultTemplateName: null,
  templateNamesByOid: {},
});

/** The lines of the .inf, without comment lines and with inline comments cut, as CertReq reads them. */
const settings = (inf: string): string[] =>
  inf
    .split("\r\n")
    .filter((line) => !line.startsWith(";"))
    .map((line) => line.replace(/\s*;.*$/, ""));

describe("certReqInf", () => {
  // Source: the seed, "Create an information (.inf) file"; SubjectAltName: Microsoft's certreq reference,
  // [Extensions] (2.5.29.17 = "{text}" and _continue_ lines) with KB 931351's "dns=...&" form.
  it("renders the seed's template for the host, with the FQDN also in a DNS SubjectAltName", () => {
    expect(settings(certReqInf(DMZ, SCOM_TEMPLATE))).toEqual([
      "[NewRequest]",
      'Subject="CN=gw01.dmz.contoso.com"',
      "Exportable = TRUE",
      "HashAlgorithm = SHA256",
      "KeyLength = 2048",
      "KeySpec = 1",
      "KeyUsage = 0xf0",
      "MachineKeySet = TRUE",
      'ProviderName = "Microsoft RSA SChannel Cryptographic Provider"',
      "ProviderType = 12",
      "KeyAlgorithm = RSA",
      "",
      "[Extensions]",
      '2.5.29.17 = "{text}"',
      '_continue_ = "dns=gw01.dmz.contoso.com&"',
      "",
      "[RequestAttributes]",
      'CertificateTemplate="SCOM Channel"',
      "",
      "[EnhancedKeyUsageExtension]",
      "OID = 1.3.6.1.5.5.7.3.1",
      "OID = 1.3.6.1.5.5.7.3.2",
      "",
    ]);
  });

  // Source: Microsoft's certreq reference, [NewRequest] KeyUsage: CERT_DIGITAL_SIGNATURE_KEY_USAGE 80,
  // CERT_NON_REPUDIATION_KEY_USAGE 40, CERT_KEY_ENCIPHERMENT_KEY_USAGE 20, CERT_DATA_ENCIPHERMENT_KEY_USAGE 10.
  // The seed's comment ("Digital Signature, Key Encipherment") names only 0xa0 of the 0xf0 it sets.
  it("says what KeyUsage 0xf0 really sets, bit by bit", () => {
    const line = certReqInf(DOMAIN, SCOM_TEMPLATE)
      .split("\r\n")
      .find((l) => l.startsWith("KeyUsage"));
    expect(line).toMatch(/^KeyUsage = 0xf0 {2}; /);
    const comment = line?.split(";")[1] ?? "";
    const bits = [...comment.matchAll(/0x([0-9a-f]{2})\b/g)].map((m) => Number.parseInt(m[1] ?? "", 16));
    // The four bits the comment names add up to the value it comments on.
    expect(bits.slice(0, 4).reduce((a, b) => a | b, 0)).toBe(0xf0);
    for (const name of [
      "Digital Signature 0x80",
      "Non-Repudiation 0x40",
      "Key Encipherment 0x20",
      "Data Encipherment 0x10",
    ])
      expect(comment).toContain(name);
  });

  it("keeps the seed's other comments on the key lines", () => {
    const inf = certReqInf(DOMAIN, SCOM_TEMPLATE);
    expect(inf).toContain("KeySpec = 1  ; AT_KEYEXCHANGE\r\n");
    expect(inf).toContain("MachineKeySet = TRUE ; The key belongs to the local computer account\r\n");
    expect(inf).toContain("OID = 1.3.6.1.5.5.7.3.1  ; Server Authentication\r\n");
    expect(inf).toContain("OID = 1.3.6.1.5.5.7.3.2  ; Client Authentication\r\n");
  });

  it("uses Windows line endings only", () => {
    const inf = certReqInf(DOMAIN, SCOM_TEMPLATE);
    expect(inf.endsWith("\r\n")).toBe(true);
    expect(inf.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("starts with a comment naming the host and how to use the file", () => {
    const [first, ...rest] = certReqInf(DOMAIN, SCOM_TEMPLATE).split("\r\n");
    expect(first).toMatch(/^; .*ms01\.contoso\.com/);
    const header = rest.slice(0, rest.indexOf("[NewRequest]"));
    expect(header.every((line) => line.startsWith(";"))).toBe(true);
    expect(header.join("\n")).toContain("CertReq -New -f ms01.contoso.com.inf ms01.contoso.com.req");
  });

  it("the key is exportable only for hosts that are not domain-joined, and says why", () => {
    const dmz = certReqInf(DMZ, SCOM_TEMPLATE).split("\r\n");
    const domain = certReqInf(DOMAIN, SCOM_TEMPLATE).split("\r\n");
    expect(dmz.find((l) => l.startsWith("Exportable"))).toMatch(
      /^Exportable = TRUE {2}; .*required when requesting certificates to be used on non-domain joined systems/,
    );
    expect(domain.find((l) => l.startsWith("Exportable"))).toMatch(
      /^Exportable = FALSE {2}; .*domain-joined/,
    );
    // CertReq's key is "Exportable"; the seed's "Key Exportable" would be an unknown key.
    expect(settings(certReqInf(DMZ, SCOM_TEMPLATE)).some((l) => l.startsWith("Key Exportable"))).toBe(false);
  });

  it("a domain-joined host runs it itself; another host runs it for a non-domain-joined one", () => {
    expect(certReqInf(DOMAIN, SCOM_TEMPLATE)).toContain("; Run on ms01.contoso.com itself");
    expect(certReqInf(DMZ, SCOM_TEMPLATE)).toContain(
      "gw01.dmz.contoso.com is not domain-joined: run on a domain-joined computer",
    );
  });

  it("drops a trailing root dot from the name", () => {
    const inf = certReqInf({ fqdn: "ms01.contoso.com.", domainJoined: true }, SCOM_TEMPLATE);
    expect(inf).toContain('Subject="CN=ms01.contoso.com"\r\n');
    expect(inf).toContain('_continue_ = "dns=ms01.contoso.com&"\r\n');
  });
});

describe("certReqInf names: CN limit and SubjectAltName", () => {
  // Source: RFC 5280 Appendix A, "ub-common-name INTEGER ::= 64" (X.520); issue 13.
  const long = `scom-gateway-dmz-frankfurt-01.perimeter.europe.operations.contoso.com`;

  it("a name over 64 characters gets its host label as CN and the FQDN in the SubjectAltName", () => {
    expect(long.length).toBeGreaterThan(MAX_COMMON_NAME_LENGTH);
    const inf = certReqInf({ fqdn: long, domainJoined: false }, SCOM_TEMPLATE);
    const lines = settings(inf);
    expect(lines).toContain('Subject="CN=scom-gateway-dmz-frankfurt-01"');
    expect(lines).toContain(`_continue_ = "dns=${long}&"`);
    expect(inf).not.toContain(`CN=${long}`);
    expect(inf).toContain(`; ${long} is ${long.length} characters, more than the 64 a CN may hold`);
  });

  it("a name of exactly 64 characters stays whole in the CN", () => {
    const exact = `${"a".repeat(52)}.contoso.com`;
    expect(exact.length).toBe(64);
    expect(settings(certReqInf({ fqdn: exact, domainJoined: true }, SCOM_TEMPLATE))).toContain(
      `Subject="CN=${exact}"`,
    );
  });

  // Source: the seed, Certificate Manager Subject tab ("If using alternative names in place of a Subject,
  // the *first* name must match the hostname"), and core's nameScomReads: with a DNS SubjectAltName, SCOM
  // reads its first DNS name. Decision (issue 13): the SubjectAltName is always written, with the FQDN
  // first and only, so the name SCOM reads is the FQDN whatever the CN holds.
  it("always writes exactly one DNS SubjectAltName, the FQDN, so it is the name SCOM reads", () => {
    for (const fqdn of ["ms01.contoso.com", long, "WKS01"]) {
      const lines = settings(certReqInf({ fqdn, domainJoined: false }, SCOM_TEMPLATE));
      const san = lines.filter((l) => l.startsWith("_continue_"));
      expect(san).toEqual([`_continue_ = "dns=${fqdn.toLowerCase()}&"`]);
      expect(lines[lines.indexOf("[Extensions]") + 1]).toBe('2.5.29.17 = "{text}"');
    }
    // What core would read from a certificate issued with those names: the SubjectAltName's FQDN.
    const read = nameScomReads({
      dnsNames: [long],
      subjectCommonName: "scom-gateway-dmz-frankfurt-01",
    } as never);
    expect(read).toEqual({ name: long, source: "first DNS name of the SubjectAltName" });
  });
});

describe("certReqInf template lines", () => {
  it("names the chosen template and says where it came from", () => {
    const template = chooseRequestTemplate(
      { oid: "1.3.6.1.4.1.311.21.8.1.2.3", name: null, majorVersion: 100, minorVersion: 4 },
      { defaultTemplateName: null, templateNamesByOid: { "1.3.6.1.4.1.311.21.8.1.2.3": "SCOMChannel" } },
    );
    const inf = certReqInf(DOMAIN, template);
    expect(settings(inf)).toContain('CertificateTemplate="SCOMChannel"');
    expect(inf).toContain("; Template: the bound certificate's template OID 1.3.6.1.4.1.311.21.8.1.2.3");
  });

  // Source: the seed's .inf comment "ensure to set the name of the template to what yours is named";
  // issue 13: never a hard-coded name.
  it("with no template known, leaves the CertificateTemplate line commented out and says an admin must set it", () => {
    const inf = certReqInf(DOMAIN, UNSET);
    expect(settings(inf).join("\n")).not.toContain("CertificateTemplate");
    expect(settings(inf)).not.toContain("[RequestAttributes]");
    expect(inf).toContain(';CertificateTemplate="<your Operations Manager template name>"\r\n');
    expect(inf).toContain("an admin must set one");
    expect(inf).not.toMatch(/^CertificateTemplate=/m);
  });

  it.each(['Ops"Mgr', "Ops;Mgr", "Ops\r\nMgr", "Ops%Mgr%", "", " leading space", "a".repeat(65)])(
    "rejects a template name that would break the file (%j)",
    (name) => {
      expect(() => certReqInf(DOMAIN, { ...SCOM_TEMPLATE, name })).toThrow(
        expect.objectContaining({ name: "CertReqInputError", field: "templateName" }),
      );
    },
  );
});

describe("certReqInf host names", () => {
  it.each([
    ["empty", ""],
    ["quote", 'ms01.contoso.com"'],
    ["line break", "ms01.contoso.com\r\nExportable = TRUE"],
    ["semicolon", "ms01;contoso.com"],
    ["space", "ms01 .contoso.com"],
    ["underscore", "ms_01.contoso.com"],
    ["empty label", "ms01..contoso.com"],
    ["leading hyphen", "-ms01.contoso.com"],
    ["trailing hyphen", "ms01-.contoso.com"],
    ["64-character label", `${"a".repeat(64)}.contoso.com`],
    ["over 253 characters", `${"a".repeat(60)}.`.repeat(5).slice(0, -1)],
    ["IP address", "10.0.0.1"],
    ["wildcard", "*.contoso.com"],
  ])("rejects a name that is not a DNS host name (%s)", (_, fqdn) => {
    expect(() => certReqInf({ fqdn, domainJoined: true }, SCOM_TEMPLATE)).toThrow(CertReqInputError);
    try {
      certReqInf({ fqdn, domainJoined: true }, SCOM_TEMPLATE);
    } catch (error) {
      expect(error).toMatchObject({ name: "CertReqInputError", field: "fqdn" });
    }
  });

  it("accepts a 63-character label and a single-label workgroup name", () => {
    const long = `${"a".repeat(63)}.contoso.com`;
    expect(certReqInf({ fqdn: long, domainJoined: true }, SCOM_TEMPLATE)).toContain(`dns=${long}&`);
    expect(certReqInf({ fqdn: "WKS01", domainJoined: false }, SCOM_TEMPLATE)).toContain('Subject="CN=wks01"');
  });
});

describe("certReqFileName", () => {
  it("is the lower-case host name with .inf", () => {
    expect(certReqFileName("MS01.Contoso.com")).toBe("ms01.contoso.com.inf");
    expect(certReqFileName("ms01.contoso.com.")).toBe("ms01.contoso.com.inf");
  });

  it("keeps only safe characters", () => {
    expect(certReqFileName('../..\\evil"\r\n.com')).toBe("evil-.com.inf");
    expect(certReqFileName("a b/c")).toBe("a-b-c.inf");
    expect(certReqFileName("...")).toBe("certreq.inf");
  });
});
