import { describe, expect, it } from "vitest";
import { CertReqInputError, renewalChecklist } from "../src/index";

const DMZ = { fqdn: "GW01.dmz.Contoso.com", domainJoined: false };
const DOMAIN = { fqdn: "ms01.contoso.com", domainJoined: true };

describe("renewalChecklist", () => {
  const ids = (host: Parameters<typeof renewalChecklist>[0]) => renewalChecklist(host).map((s) => s.id);

  it("a domain-joined host requests, installs and imports on itself", () => {
    expect(ids({ ...DOMAIN, role: "ManagementServer" })).toEqual([
      "create-request",
      "submit-request",
      "retrieve-approved-certificate",
      "install-certificate",
      "momcertimport",
      "confirm-event-20053",
    ]);
  });

  it("a host that is not domain-joined also gets the trust steps and the PFX export and import", () => {
    expect(ids({ ...DMZ, role: "Gateway" })).toEqual([
      "import-root-ca",
      "import-issuing-ca",
      "create-request",
      "submit-request",
      "retrieve-approved-certificate",
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
    expect(command("retrieve-approved-certificate")).toBe(
      "CertReq -Retrieve REQUEST_ID ms01.contoso.com.cer",
    );
    expect(command("install-certificate")).toBe("CertReq -Accept -Machine ms01.contoso.com.cer");
    expect(command("momcertimport")).toBe("MOMCertImport.exe");
    expect(command("confirm-event-20053")).toBeNull();
  });

  it("every step cites a section of the seed", () => {
    const seedSections = [
      "Download and Import the Root Certificate from the CA",
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

  // Source: the seed, "Download and Import the Root Certificate from the CA" (root into Trusted Root
  // Certification Authorities; "Check for CA Certificates" in Cert:\LocalMachine\CA; "Sign in to the computer
  // where you want to install a certificate. For example, a Gateway Server or Management Server"); issue 13
  // ("on both ends"). Commands: Microsoft's certutil reference, -addstore CertificateStoreName InFile.
  it("outside the domain, imports the root into LocalMachine\\Root and the issuing CA into LocalMachine\\CA on both ends", () => {
    const steps = renewalChecklist({ ...DMZ, role: "Agent", primaryServer: "gw01.dmz.contoso.com" });
    const root = steps.find((s) => s.id === "import-root-ca");
    const issuing = steps.find((s) => s.id === "import-issuing-ca");
    expect(root?.command).toBe("certutil -addstore Root root-ca.cer");
    expect(issuing?.command).toBe("certutil -addstore CA issuing-ca.cer");
    expect(root?.detail).toContain("LocalMachine\\Root");
    expect(issuing?.detail).toContain("LocalMachine\\CA");
    for (const step of [root, issuing]) {
      expect(step?.detail).toContain(
        "on gw01.dmz.contoso.com and on gw01.dmz.contoso.com (the management server or gateway it reports to)",
      );
      expect(step?.seedReference).toMatch(/^Download and Import the Root Certificate from the CA/);
    }
    // They come before the request, as in the seed's high-level process.
    expect(steps.findIndex((s) => s.id === "import-issuing-ca")).toBeLessThan(
      steps.findIndex((s) => s.id === "create-request"),
    );
  });

  it("names the other end by role when the primary server is not known", () => {
    const detailFor = (role: "Gateway" | "ManagementServer" | "Agent") =>
      renewalChecklist({ ...DMZ, role }).find((s) => s.id === "import-root-ca")?.detail ?? "";
    expect(detailFor("Gateway")).toContain("on the management server it reports to");
    expect(detailFor("Agent")).toContain("on the management server or gateway it reports to");
    expect(detailFor("ManagementServer")).toContain("every gateway and agent that authenticates to it");
  });

  it("a domain-joined host gets no trust steps (Group Policy gives it the Enterprise CA's root)", () => {
    expect(ids({ ...DOMAIN, role: "Agent" }).filter((id) => id.startsWith("import-"))).toEqual([]);
  });

  // Source: the seed, "Submit a new certificate request" ("Certificate request is pending") and the
  // template's Issuance Requirements ("CA Certificate manager approval"); Microsoft's certreq reference,
  // "certreq -retrieve requestid certfileout" and "-accept".
  it("retrieves a request left pending for CA manager approval, then accepts it", () => {
    const steps = renewalChecklist({ ...DMZ, role: "Gateway" });
    const at = (id: string) => steps.findIndex((s) => s.id === id);
    const retrieve = steps[at("retrieve-approved-certificate")];
    expect(retrieve?.command).toBe("CertReq -Retrieve REQUEST_ID gw01.dmz.contoso.com.cer");
    expect(retrieve?.detail).toContain("Only if the request was left pending");
    expect(retrieve?.detail).toContain("the computer that created the request");
    expect(retrieve?.seedReference).toMatch(/^Submit a new certificate request/);
    expect(at("submit-request")).toBeLessThan(at("retrieve-approved-certificate"));
    expect(at("retrieve-approved-certificate")).toBeLessThan(at("install-certificate"));
    expect(steps[at("submit-request")]?.detail).toContain("note the RequestId");
    expect(steps[at("install-certificate")]?.command).toContain("CertReq -Accept");
  });

  it("rejects a host name that is not a DNS name", () => {
    expect(() => renewalChecklist({ fqdn: 'ms01"', domainJoined: true, role: "Agent" })).toThrow(
      CertReqInputError,
    );
  });
});
