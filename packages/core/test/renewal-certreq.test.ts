import { describe, expect, it } from "vitest";
import {
  CertReqInputError,
  certReqFileName,
  certReqInf,
  DEFAULT_CERTIFICATE_TEMPLATE,
  renewalChecklist,
} from "../src/index";

const DMZ = { fqdn: "GW01.dmz.Contoso.com", domainJoined: false };
const DOMAIN = { fqdn: "ms01.contoso.com", domainJoined: true };

/** The lines of the .inf, without comment lines and with inline comments cut, as CertReq reads them. */
const settings = (inf: string): string[] =>
  inf
    .split("\r\n")
    .filter((line) => !line.startsWith(";"))
    .map((line) => line.replace(/\s*;.*$/, ""));

describe("certReqInf", () => {
  it("renders the seed's template for the host", () => {
    expect(settings(certReqInf(DMZ))).toEqual([
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
      "[RequestAttributes]",
      'CertificateTemplate="OperationsManager"',
      "",
      "[EnhancedKeyUsageExtension]",
      "OID = 1.3.6.1.5.5.7.3.1",
      "OID = 1.3.6.1.5.5.7.3.2",
      "",
    ]);
    expect(DEFAULT_CERTIFICATE_TEMPLATE).toBe("OperationsManager");
  });

  it("keeps the seed's comments on the key lines", () => {
    const inf = certReqInf(DOMAIN);
    expect(inf).toContain("KeySpec = 1  ; AT_KEYEXCHANGE\r\n");
    expect(inf).toContain("KeyUsage = 0xf0  ; Digital Signature, Key Encipherment\r\n");
    expect(inf).toContain("MachineKeySet = TRUE ; The key belongs to the local computer account\r\n");
    expect(inf).toContain("OID = 1.3.6.1.5.5.7.3.1  ; Server Authentication\r\n");
    expect(inf).toContain("OID = 1.3.6.1.5.5.7.3.2  ; Client Authentication\r\n");
  });

  it("uses Windows line endings only", () => {
    const inf = certReqInf(DOMAIN);
    expect(inf.endsWith("\r\n")).toBe(true);
    expect(inf.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("starts with a comment naming the host and how to use the file", () => {
    const [first, ...rest] = certReqInf(DOMAIN).split("\r\n");
    expect(first).toMatch(/^; .*ms01\.contoso\.com/);
    const header = rest.slice(0, rest.indexOf("[NewRequest]"));
    expect(header.every((line) => line.startsWith(";"))).toBe(true);
    expect(header.join("\n")).toContain("CertReq -New -f ms01.contoso.com.inf ms01.contoso.com.req");
  });

  it("the key is exportable only for hosts that are not domain-joined, and says why", () => {
    const dmz = certReqInf(DMZ).split("\r\n");
    const domain = certReqInf(DOMAIN).split("\r\n");
    expect(dmz.find((l) => l.startsWith("Exportable"))).toMatch(
      /^Exportable = TRUE {2}; .*required when requesting certificates to be used on non-domain joined systems/,
    );
    expect(domain.find((l) => l.startsWith("Exportable"))).toMatch(
      /^Exportable = FALSE {2}; .*domain-joined/,
    );
    // CertReq's key is "Exportable"; the seed's "Key Exportable" would be an unknown key.
    expect(settings(certReqInf(DMZ)).some((l) => l.startsWith("Key Exportable"))).toBe(false);
  });

  it("a domain-joined host runs it itself; another host runs it for a non-domain-joined one", () => {
    expect(certReqInf(DOMAIN)).toContain("; Run on ms01.contoso.com itself");
    expect(certReqInf(DMZ)).toContain(
      "gw01.dmz.contoso.com is not domain-joined: run on a domain-joined computer",
    );
  });

  it("takes another template name", () => {
    expect(settings(certReqInf(DOMAIN, { templateName: "SCOM Channel" }))).toContain(
      'CertificateTemplate="SCOM Channel"',
    );
    expect(settings(certReqInf(DOMAIN, { templateName: undefined }))).toContain(
      'CertificateTemplate="OperationsManager"',
    );
  });

  it("omits [RequestAttributes] when there is no template (stand-alone CA)", () => {
    const inf = certReqInf(DOMAIN, { templateName: null });
    expect(inf).not.toContain("[RequestAttributes]");
    expect(inf).not.toContain("CertificateTemplate");
    expect(inf).toContain("[EnhancedKeyUsageExtension]");
  });

  it("drops a trailing root dot from the name", () => {
    expect(certReqInf({ fqdn: "ms01.contoso.com.", domainJoined: true })).toContain(
      'Subject="CN=ms01.contoso.com"\r\n',
    );
  });

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
    expect(() => certReqInf({ fqdn, domainJoined: true })).toThrow(CertReqInputError);
    try {
      certReqInf({ fqdn, domainJoined: true });
    } catch (error) {
      expect(error).toMatchObject({ name: "CertReqInputError", field: "fqdn" });
    }
  });

  it("accepts a 63-character label and a single-label workgroup name", () => {
    const long = `${"a".repeat(63)}.contoso.com`;
    expect(certReqInf({ fqdn: long, domainJoined: true })).toContain(`CN=${long}`);
    expect(certReqInf({ fqdn: "WKS01", domainJoined: false })).toContain('Subject="CN=wks01"');
  });

  it.each(['Ops"Mgr', "Ops;Mgr", "Ops\r\nMgr", "", " leading space", "a".repeat(65)])(
    "rejects a template name that would break the file (%j)",
    (templateName) => {
      expect(() => certReqInf(DOMAIN, { templateName })).toThrow(
        expect.objectContaining({ name: "CertReqInputError", field: "templateName" }),
      );
    },
  );
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

describe("renewalChecklist", () => {
  const ids = (host: Parameters<typeof renewalChecklist>[0]) => renewalChecklist(host).map((s) => s.id);

  it("a domain-joined host requests, installs and imports on itself", () => {
    expect(ids({ ...DOMAIN, role: "ManagementServer" })).toEqual([
      "create-request",
      "submit-request",
      "install-certificate",
      "momcertimport",
      "confirm-event-20053",
    ]);
  });

  it("a host that is not domain-joined also gets the PFX export and import", () => {
    expect(ids({ ...DMZ, role: "Gateway" })).toEqual([
      "create-request",
      "submit-request",
      "install-certificate",
      "export-pfx",
      "import-pfx",
      "momcertimport",
      "confirm-event-20053",
    ]);
    const [exportStep] = renewalChecklist({ ...DMZ, role: "Agent" }).filter((s) => s.id === "export-pfx");
    expect(exportStep?.detail).toContain("Yes, export the private key");
    expect(exportStep?.detail).toContain("gw01.dmz.contoso.com.pfx");
  });

  it("gives the seed's commands for this host's files", () => {
    const steps = renewalChecklist({ ...DOMAIN, role: "Agent" });
    const command = (id: string) => steps.find((s) => s.id === id)?.command;
    expect(command("create-request")).toBe("CertReq -New -f ms01.contoso.com.inf ms01.contoso.com.req");
    expect(command("submit-request")).toBe("CertReq -Submit ms01.contoso.com.req ms01.contoso.com.cer");
    expect(command("install-certificate")).toBe("CertReq -Accept -Machine ms01.contoso.com.cer");
    expect(command("momcertimport")).toBe("MOMCertImport.exe");
    expect(command("confirm-event-20053")).toBeNull();
  });

  it("every step cites a section of the seed", () => {
    const seedSections = [
      "Create an information (.inf) file",
      "Create a certificate request file",
      "Submit a new certificate request",
      "Request a certificate using Certificate Manager",
      "Install the certificate on the target machine",
      "Import the certificate into Operations Manager",
      "Renew a Certificate",
    ];
    for (const step of renewalChecklist({ ...DMZ, role: "Gateway" })) {
      expect(step.title.length, step.id).toBeGreaterThan(0);
      expect(step.detail.length, step.id).toBeGreaterThan(0);
      expect(
        seedSections.some((section) => step.seedReference.startsWith(section)),
        step.id,
      ).toBe(true);
    }
  });

  it("says MOMCertImport runs on the gateway itself for a Gateway", () => {
    const importStep = (role: "Gateway" | "Agent") =>
      renewalChecklist({ ...DMZ, role }).find((s) => s.id === "momcertimport")?.detail;
    expect(importStep("Gateway")).toContain("on the gateway server itself");
    expect(importStep("Agent")).not.toContain("gateway");
  });

  it("explains the seed's load-failure events", () => {
    const confirm = renewalChecklist({ ...DOMAIN, role: "ManagementServer" }).find(
      (s) => s.id === "confirm-event-20053",
    );
    for (const id of [20049, 20050, 20052, 20066, 20069, 20077])
      expect(confirm?.detail).toContain(`${id}: the certificate`);
    expect(confirm?.detail).toContain("not in the certificate store");
    expect(confirm?.detail).toContain("Applications and Services Logs > Operations Manager");
  });

  it("rejects a host name that is not a DNS name", () => {
    expect(() => renewalChecklist({ fqdn: 'ms01"', domainJoined: true, role: "Agent" })).toThrow(
      CertReqInputError,
    );
  });
});
