import { beforeAll, describe, expect, it } from "vitest";
import { evaluateHost, sortFindings, statusOf } from "../src/index";
import type { Finding } from "../src/types";
import {
  createFixture,
  daysFromNow,
  evidence,
  type Fixture,
  findingsOf,
  HOST,
  hostInput,
} from "./support/fixture";

let fx: Fixture;

beforeAll(async () => {
  fx = await createFixture();
});

const f = (ruleId: string, severity: Finding["severity"], message = "m"): Finding => ({
  ruleId,
  severity,
  message,
  remediation: "r",
});

describe("status", () => {
  it("error beats warning beats ok; info never changes it", () => {
    expect(statusOf([])).toBe("ok");
    expect(statusOf([f("template-info", "info"), f("lifetime", "info")])).toBe("ok");
    expect(statusOf([f("validity", "warning"), f("exportable", "info")])).toBe("warning");
    expect(statusOf([f("validity", "warning"), f("sha256", "error")])).toBe("error");
  });
});

describe("sortFindings", () => {
  it("orders by severity, then rule id in catalog order, then message", () => {
    const sorted = sortFindings([
      f("lifetime", "info"),
      f("registry-serial", "warning", "b"),
      f("sha256", "error"),
      f("registry-serial", "warning", "a"),
      f("subject-fqdn", "error"),
      f("validity", "warning"),
    ]);
    expect(sorted.map((x) => `${x.severity}:${x.ruleId}:${x.message}`)).toEqual([
      "error:subject-fqdn:m",
      "error:sha256:m",
      "warning:validity:m",
      "warning:registry-serial:a",
      "warning:registry-serial:b",
      "info:lifetime:m",
    ]);
  });
});

describe("evaluateHost", () => {
  it("a certificate broken many ways: every failure reported, sorted, status error", async () => {
    const broken = await fx.leaf({
      subject: "CN=web.contoso.com",
      dnsNames: [],
      signatureHash: "SHA-1",
      ekus: ["1.3.6.1.5.5.7.3.1"],
      notAfter: daysFromNow(5),
      templateV2: null,
    });
    const evaluation = evaluateHost(
      hostInput(
        fx,
        evidence(broken, {
          keySpec: 2,
          keyProvider: "Microsoft Software Key Storage Provider",
          keyProviderType: "KSP",
        }),
        {
          otherHostsBoundToSameCertificate: ["ms02.contoso.com"],
          events: [],
        },
      ),
    );
    expect(evaluation.status).toBe("error");
    expect(evaluation.findings.map((x) => `${x.severity}:${x.ruleId}`)).toEqual([
      "error:subject-fqdn",
      "error:eku-server-client",
      "error:sha256",
      "error:csp-not-ksp",
      "error:keyspec",
      "error:duplicate",
      "warning:validity",
      "info:events",
      "info:template-info",
    ]);
  });

  it("is deterministic: the order of certificates and events in the report does not matter", async () => {
    const renewed = await fx.leaf({
      serialHex: "42",
      notBefore: daysFromNow(-1),
      notAfter: daysFromNow(500),
    });
    const other = await fx.leaf({ serialHex: "43", subject: "CN=x.contoso.com", dnsNames: [] });
    const base = hostInput(fx, evidence(fx.healthy, { keySpec: 2 }), {
      events: [
        { id: 20053, time: "2026-06-01T07:00:00Z" },
        { id: 21002, time: "2026-06-01T08:00:00Z" },
      ],
    });
    const a = evaluateHost({
      ...base,
      certificates: [evidence(renewed), ...base.certificates, evidence(other)],
    });
    const b = evaluateHost({
      ...base,
      certificates: [evidence(other), ...base.certificates, evidence(renewed)],
      events: [...base.events].reverse(),
    });
    expect(b).toEqual(a);
    expect(JSON.stringify(b.findings)).toBe(JSON.stringify(a.findings));
  });

  it("uses collectedAt, not the clock: the same report a year later is expired", () => {
    const later = evaluateHost(hostInput(fx, evidence(fx.healthy), { collectedAt: daysFromNow(400) }));
    expect(findingsOf(later, "validity")[0]?.message).toContain("expired on 2027-01-01");
  });

  it("expiry warning window follows settings.expiryWarningDays", () => {
    const days = 214; // healthy certificate: 2026-06-01T12:00Z -> 2027-01-01T00:00Z is 213.5 days
    const inside = hostInput(fx, evidence(fx.healthy), {
      settings: { expiryWarningDays: days, trustAnchors: [] },
    });
    expect(findingsOf(evaluateHost(inside), "validity")[0]?.message).toContain(
      "in 213 days (warning window 214 days)",
    );
    const outside = { ...inside, settings: { expiryWarningDays: 212, trustAnchors: [] } };
    expect(findingsOf(evaluateHost(outside), "validity")).toEqual([]);
  });
});

describe("chain without trust anchors", () => {
  it("only the host's chain status counts", () => {
    const input = hostInput(fx, evidence(fx.healthy), { issuerCandidates: [] });
    expect(findingsOf(evaluateHost(input), "chain")).toEqual([]);
  });

  it("host chain invalid without status values still says so", () => {
    const input = hostInput(fx, evidence(fx.healthy, { hostChainValid: false, hostChainStatus: [] }));
    expect(findingsOf(evaluateHost(input), "chain")[0]?.message).toContain("(no chain status was reported)");
  });
});

describe("lifetime", () => {
  it("is silent when the issuing CA is unknown", async () => {
    const long = await fx.leaf({ notAfter: new Date("2033-01-01T00:00:00Z") });
    const input = hostInput(fx, evidence(long), {
      issuerCandidates: [],
      settings: { expiryWarningDays: 30, trustAnchors: [] },
    });
    expect(findingsOf(evaluateHost(input), "lifetime")).toEqual([]);
  });

  // Seed, template General tab: "not exceed one-half the life of the CA issuing the certificate" (issue 13).
  it("exactly half the CA's life is fine, a day more is not", async () => {
    // The issuing CA lives 2022-01-01 to 2034-01-01 (4383 days): half is 2191 days, 2026-01-01 to 2032-01-01.
    const half = await fx.leaf({ notAfter: new Date("2032-01-01T00:00:00Z") });
    expect(findingsOf(evaluateHost(hostInput(fx, evidence(half))), "lifetime")).toEqual([]);
    const longer = await fx.leaf({ notAfter: new Date("2032-01-02T00:00:00Z") });
    const [finding] = findingsOf(evaluateHost(hostInput(fx, evidence(longer))), "lifetime");
    expect(finding?.message).toContain("valid for 2192 days");
    expect(finding?.message).toContain("at most half, here 2191 days");
  });

  it("measures the CA's whole life, not what was left of it when the certificate was issued", async () => {
    // Five years from 2026: more than half the 8 years the CA had left, less than half its 12-year life.
    const fiveYears = await fx.leaf({ notAfter: new Date("2031-01-01T00:00:00Z") });
    expect(findingsOf(evaluateHost(hostInput(fx, evidence(fiveYears))), "lifetime")).toEqual([]);
  });
});

describe("template-info for agents and gateways", () => {
  // Seed "Renew a Certificate" documents the alert for Management Servers and Gateways; it says nothing of
  // agents, so the message must not claim SCOM never alerts for them (issue 13).
  it("says what Microsoft documents for an Agent without claiming SCOM never alerts for agents", async () => {
    const bare = await fx.leaf({ templateV2: null });
    const input = hostInput(fx, evidence(bare), { host: { ...HOST, role: "Agent" } });
    const [finding] = findingsOf(evaluateHost(input), "template-info");
    expect(finding?.severity).toBe("info");
    expect(finding?.message).toContain(
      "Microsoft documents SCOM's own expiry alert for Management Servers and Gateways",
    );
    expect(finding?.message).toContain("this Agent");
    expect(finding?.message).toContain("expires 2027-01-01");
    expect(finding?.message).not.toMatch(/never|only Management Servers|covers only/);
  });

  it("names the Gateway role", async () => {
    const bare = await fx.leaf({ templateV2: null });
    const input = hostInput(fx, evidence(bare), { host: { ...HOST, role: "Gateway" } });
    expect(findingsOf(evaluateHost(input), "template-info")[0]?.message).toContain("this Gateway");
  });
});

describe("duplicate", () => {
  it("ignores the host itself and repeated names", () => {
    const input = hostInput(fx, evidence(fx.healthy), {
      otherHostsBoundToSameCertificate: ["MS01.contoso.com", "ms02.contoso.com", "ms02.contoso.com."],
    });
    const [finding, ...rest] = findingsOf(evaluateHost(input), "duplicate");
    expect(rest).toEqual([]);
    expect(finding?.message).toContain("1 other host: ms02.contoso.com");
    expect(finding?.message).toContain(fx.healthy.thumbprint);
  });

  // Issue 13 ("Certificate rules", Duplicate): error on hosts whose name does not match the certificate,
  // warning on the one whose name does, judged by the subject-fqdn name matching (names.ts).
  it("is an error on the hosts the certificate does not name and a warning on the one it names", () => {
    const holders = ["ms01.contoso.com", "ms02.contoso.com", "ms03.contoso.com"];
    const onHost = (fqdn: string) =>
      findingsOf(
        evaluateHost(
          hostInput(fx, evidence(fx.healthy), {
            host: { ...HOST, fqdn },
            otherHostsBoundToSameCertificate: holders,
          }),
        ),
        "duplicate",
      );
    const [named] = onHost("ms01.contoso.com");
    expect(named?.severity).toBe("warning");
    expect(named?.message).toContain("2 other hosts: ms02.contoso.com and ms03.contoso.com");
    expect(named?.message).toContain('it names this host ("ms01.contoso.com")');
    expect(named?.remediation).toContain("Nothing to change on this host");
    const [clone] = onHost("ms02.contoso.com");
    expect(clone?.severity).toBe("error");
    expect(clone?.message).toContain("2 other hosts: ms01.contoso.com and ms03.contoso.com");
    expect(clone?.message).toContain('it names "ms01.contoso.com", not this host');
    expect(clone?.remediation).toContain("Issue ms02.contoso.com its own certificate");
  });

  it("judges the name as subject-fqdn does: the first DNS SubjectAltName, not the CN, in any case", async () => {
    const sanFirst = await fx.leaf({ subject: "CN=ms01.contoso.com", dnsNames: ["MS02.Contoso.com."] });
    const severityOn = (fqdn: string) =>
      findingsOf(
        evaluateHost(
          hostInput(fx, evidence(sanFirst), {
            host: { ...HOST, fqdn },
            otherHostsBoundToSameCertificate: ["ms01.contoso.com", "ms02.contoso.com"],
          }),
        ),
        "duplicate",
      ).map((f) => f.severity);
    expect(severityOn("ms02.contoso.com")).toEqual(["warning"]);
    expect(severityOn("ms01.contoso.com")).toEqual(["error"]);
  });

  // Issue 13: SCOM's own self-signed certificate in the "Operations Manager" store is never a duplicate.
  it("is silent for SCOM's self-signed certificate in the Operations Manager store, not for one in My", () => {
    const selfSigned = { ...fx.healthy, issuer: fx.healthy.subject };
    const others = { otherHostsBoundToSameCertificate: ["ms02.contoso.com"] };
    const inOmStore = evidence(selfSigned, { store: "LocalMachine\\Operations Manager" });
    expect(findingsOf(evaluateHost(hostInput(fx, inOmStore, others)), "duplicate")).toEqual([]);
    const inMy = evidence(selfSigned, { store: "LocalMachine\\My" });
    expect(findingsOf(evaluateHost(hostInput(fx, inMy, others)), "duplicate")).toHaveLength(1);
  });
});
