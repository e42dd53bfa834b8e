/** Scenarios breaking the chain, the registry binding, the events, and the informational rules. */
import { parseCertificate } from "../../src/index";
import { createCa } from "./certificates";
import { daysFromNow, evidence, hostInput } from "./fixture";
import { type Scenario, withFacts, withLeaf } from "./scenario";

export const HOST_SCENARIOS: Scenario[] = [
  {
    name: "host chain not trusted",
    rule: "chain",
    severity: "error",
    contains: ["UntrustedRoot", "RevocationStatusUnknown", "CN=Contoso Issuing CA 1, O=Contoso"],
    build: withFacts({
      hostChainValid: false,
      hostChainStatus: ["UntrustedRoot", "RevocationStatusUnknown"],
    }),
  },
  {
    // Issue 13: a DMZ gateway that cannot reach the CRL still holds a trusted chain (X509ChainStatusFlags).
    name: "revocation could not be checked (CRL unreachable)",
    rule: "chain",
    severity: "warning",
    contains: ["RevocationStatusUnknown", "OfflineRevocation", "revoked"],
    build: withFacts({
      hostChainValid: false,
      hostChainStatus: ["RevocationStatusUnknown", "OfflineRevocation"],
    }),
  },
  {
    name: "certificate does not chain to the configured trust anchor (whatever the host says)",
    rule: "chain",
    severity: "error",
    contains: [
      "does not chain to a configured trust anchor",
      '"CN=Contoso Issuing CA 1, O=Contoso"',
      '"CN=Tailspin Root CA, O=Tailspin"',
    ],
    build: async (fx) => {
      const tailspin = await createCa({
        subject: "CN=Tailspin Root CA, O=Tailspin",
        keys: fx.keys.ca,
        notBefore: new Date("2020-01-01T00:00:00Z"),
        notAfter: new Date("2040-01-01T00:00:00Z"),
      });
      const anchor = { certificate: parseCertificate(tailspin.der), der: tailspin.der };
      return hostInput(fx, evidence(fx.healthy), {
        settings: { expiryWarningDays: 30, trustAnchors: [anchor] },
      });
    },
  },
  {
    name: "ChannelCertificateSerialNumber absent",
    rule: "registry-serial",
    severity: "error",
    contains: ["ChannelCertificateSerialNumber is absent"],
    build: async (fx) =>
      hostInput(fx, evidence(fx.healthy), {
        registry: { channelCertificateSerialNumber: null, channelCertificateHash: null },
      }),
  },
  {
    name: "registry serial matches no store certificate",
    rule: "registry-serial",
    severity: "error",
    contains: [
      "ChannelCertificateSerialNumber 0102030405",
      "0504030201",
      "matches none of the 1 certificate",
    ],
    build: async (fx) =>
      hostInput(fx, evidence(fx.healthy), {
        registry: { channelCertificateSerialNumber: "01 02 03 04 05", channelCertificateHash: null },
      }),
  },
  {
    name: "renewed but not re-imported",
    rule: "registry-serial",
    severity: "warning",
    contains: [
      "renewed but not re-imported",
      "serial 7A0000000000000000000000000000000000AB",
      "expiring 2027-05-01",
      "run MOMCertImport",
    ],
    build: async (fx) => {
      const renewed = await fx.leaf({
        serialHex: "7A0000000000000000000000000000000000AB",
        notBefore: daysFromNow(-1),
        notAfter: new Date("2027-05-01T00:00:00Z"),
      });
      const input = hostInput(fx, evidence(fx.healthy));
      return { ...input, certificates: [...input.certificates, evidence(renewed)] };
    },
  },
  {
    name: "registry lacks the DER sign byte",
    rule: "registry-serial",
    severity: "warning",
    contains: ["SCOM may not find the certificate", "serial 0080AA"],
    build: async (fx) => {
      const certificate = await fx.leaf({ serialHex: "80AA" });
      return hostInput(fx, evidence(certificate), {
        registry: { channelCertificateSerialNumber: "AA80", channelCertificateHash: certificate.thumbprint },
      });
    },
  },
  {
    name: "ChannelCertificateHash names a different certificate than the serial",
    rule: "registry-serial",
    severity: "error",
    contains: ["ChannelCertificateHash", "serial 1F00000008C694DAC94BCFDC4A000000000008", "serial 33"],
    build: async (fx) => {
      const other = await fx.leaf({ serialHex: "33", subject: "CN=old.contoso.com", dnsNames: [] });
      const input = hostInput(fx, evidence(fx.healthy));
      return {
        ...input,
        registry: { ...input.registry, channelCertificateHash: other.thumbprint },
        certificates: [...input.certificates, evidence(other)],
      };
    },
  },
  {
    name: "newest load event is 20066",
    rule: "events",
    severity: "error",
    contains: ["20066", "not in the certificate store"],
    build: async (fx) =>
      hostInput(fx, evidence(fx.healthy), {
        events: [
          { id: 20053, time: "2026-06-01T08:00:00Z" },
          { id: 20066, time: "2026-06-01T09:00:00Z" },
        ],
      }),
  },
  {
    name: "21020 expiring after the load",
    rule: "events",
    severity: "warning",
    contains: ["21020", "about to expire"],
    build: async (fx) =>
      hostInput(fx, evidence(fx.healthy), {
        events: [
          { id: 20053, time: "2026-06-01T08:00:00Z" },
          { id: 21020, time: "2026-06-01T09:00:00Z" },
        ],
      }),
  },
  {
    name: "no connector events",
    rule: "events",
    severity: "info",
    contains: ["no OpsMgr Connector events were reported"],
    build: async (fx) => hostInput(fx, evidence(fx.healthy), { events: [] }),
  },
  {
    name: "no template information (Management Server)",
    rule: "template-info",
    severity: "info",
    contains: ["no Enterprise CA template information", "Management Server"],
    build: withLeaf({ templateV2: null }),
  },
  {
    name: "validity longer than half the issuing CA's life",
    rule: "lifetime",
    severity: "info",
    contains: [
      "valid for 2557 days",
      '"CN=Contoso Issuing CA 1, O=Contoso" (4383 days, 2022-01-01 to 2034-01-01)',
      "here 2191 days",
    ],
    build: withLeaf({ notAfter: new Date("2033-01-01T00:00:00Z") }),
  },
  {
    // On the one host the certificate names: a warning (issue 13, "Duplicate"); the hosts it does not name
    // get the error, which also trips subject-fqdn there (evaluate.test.ts "duplicate").
    name: "same certificate bound on other hosts",
    rule: "duplicate",
    severity: "warning",
    contains: [
      "2 other hosts",
      "ms02.contoso.com and ms03.contoso.com",
      'it names this host ("ms01.contoso.com")',
    ],
    build: async (fx) =>
      hostInput(fx, evidence(fx.healthy), {
        otherHostsBoundToSameCertificate: ["MS03.contoso.com", "ms02.contoso.com"],
      }),
  },
  {
    name: "host reported by two collector tokens within a day",
    rule: "collector-tokens",
    severity: "info",
    contains: ['"dmz collector" and "corp collector"'],
    build: async (fx) =>
      hostInput(fx, evidence(fx.healthy), {
        reportingTokens: { current: "dmz collector", others: ["corp collector"] },
      }),
  },
];
