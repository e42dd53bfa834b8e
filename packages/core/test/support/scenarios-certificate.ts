/** Scenarios breaking the certificate itself or the host's facts about its key. */
import { KU } from "./certificates";
import { daysFromNow, HOST } from "./fixture";
import { type Scenario, withFacts, withLeaf } from "./scenario";

export const CERTIFICATE_SCENARIOS: Scenario[] = [
  {
    name: "subject CN names another host",
    rule: "subject-fqdn",
    severity: "error",
    contains: ['"ms02.contoso.com"', '"ms01.contoso.com"', "subject CN"],
    build: withLeaf({ subject: "CN=ms02.contoso.com", dnsNames: [] }),
  },
  {
    name: "subject is the FQDN plus a suffix (whole-name comparison)",
    rule: "subject-fqdn",
    severity: "error",
    contains: ['"ms01.contoso.com.evil.com"'],
    build: withLeaf({ subject: "CN=ms01.contoso.com.evil.com", dnsNames: [] }),
  },
  {
    name: "first DNS SAN is not the host even though the CN is",
    rule: "subject-fqdn",
    severity: "error",
    contains: ['"web.contoso.com"', "first DNS name of the SubjectAltName", 'subject CN "ms01.contoso.com"'],
    build: withLeaf({ dnsNames: ["web.contoso.com", "ms01.contoso.com"] }),
  },
  {
    name: "NetBIOS name on a domain-joined host",
    rule: "subject-fqdn",
    severity: "error",
    contains: ['"ms01"', "NetBIOS"],
    build: withLeaf({ subject: "CN=ms01", dnsNames: [] }),
  },
  {
    // Issue 13: more than one CN and no DNS SAN names every CN.
    name: "two CNs and no DNS SAN, one of them the host",
    rule: "subject-fqdn",
    severity: "warning",
    contains: ['"web.contoso.com"', '"ms01.contoso.com"', "2 CNs"],
    build: withLeaf({ subject: "CN=web.contoso.com, CN=ms01.contoso.com", dnsNames: [] }),
  },
  {
    // Issue 13: a NetBIOS-only name on a workgroup host that is known by its FQDN.
    name: "NetBIOS name on a workgroup host known by its FQDN",
    rule: "subject-fqdn",
    severity: "error",
    contains: ['"ms01"', "NetBIOS", 'known by the FQDN "ms01.contoso.com"'],
    build: async (fx) => {
      const input = await withLeaf({ subject: "CN=ms01", dnsNames: [] })(fx);
      return { ...input, host: { ...HOST, domainJoined: false, dnsHostName: "MS01" } };
    },
  },
  {
    name: "neither CN nor DNS SAN",
    rule: "subject-fqdn",
    severity: "error",
    contains: ["neither a subject CN nor a DNS SubjectAltName"],
    build: withLeaf({ subject: "O=Contoso", dnsNames: [] }),
  },
  {
    name: "EKU lacks Client Authentication",
    rule: "eku-server-client",
    severity: "error",
    contains: [
      "lacks Client Authentication (1.3.6.1.5.5.7.3.2)",
      "Server Authentication (1.3.6.1.5.5.7.3.1)",
    ],
    build: withLeaf({ ekus: ["1.3.6.1.5.5.7.3.1"] }),
  },
  {
    name: "no EKU extension",
    rule: "eku-server-client",
    severity: "error",
    contains: ["no Enhanced Key Usage extension", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
    build: withLeaf({ ekus: null }),
  },
  {
    name: "key usage lacks Key Encipherment",
    rule: "key-usage",
    severity: "error",
    contains: ["0x80 (Digital Signature)", "lacks Key Encipherment (0x20)"],
    build: withLeaf({ keyUsage: KU.digitalSignature }),
  },
  {
    name: "no Key Usage extension",
    rule: "key-usage",
    severity: "error",
    contains: ["no Key Usage extension"],
    build: withLeaf({ keyUsage: null }),
  },
  {
    name: "RSA 1024",
    rule: "rsa-2048",
    severity: "error",
    contains: ["1024 bits"],
    build: async (fx) => withLeaf({ keys: fx.keys.rsa1024 })(fx),
  },
  {
    name: "ECC key",
    rule: "rsa-2048",
    severity: "error",
    contains: ["EC (256-bit)", "ECC is not supported"],
    build: async (fx) => withLeaf({ keys: fx.keys.ec })(fx),
  },
  {
    name: "SHA-1 signature",
    rule: "sha256",
    severity: "error",
    contains: ["signature is sha1WithRSAEncryption", "SHA-256 or stronger"],
    build: withLeaf({ signatureHash: "SHA-1" }),
  },
  {
    name: "expired",
    rule: "validity",
    severity: "error",
    contains: ["expired on 2026-05-29", "3 days"],
    build: withLeaf({ notAfter: daysFromNow(-3) }),
  },
  {
    name: "not yet valid",
    rule: "validity",
    severity: "error",
    contains: ["not valid until 2026-06-03"],
    // The report's 20053 predates the notBefore, so it cannot be this certificate's load (issue 13).
    alsoInfo: ["events"],
    build: withLeaf({ notBefore: daysFromNow(2) }),
  },
  {
    name: "expires within the warning window",
    rule: "validity",
    severity: "warning",
    contains: ["expires on 2026-06-11", "in 10 days"],
    build: withLeaf({ notAfter: daysFromNow(10) }),
  },
  {
    name: "expires in exactly expiryWarningDays",
    rule: "validity",
    severity: "warning",
    contains: ["in 30 days"],
    build: withLeaf({ notAfter: daysFromNow(30) }),
  },
  {
    name: "key in a KSP",
    rule: "csp-not-ksp",
    severity: "error",
    contains: ['"Microsoft Software Key Storage Provider"', "Key Storage Provider"],
    build: withFacts({ keyProvider: "Microsoft Software Key Storage Provider", keyProviderType: "KSP" }),
  },
  {
    name: "known KSP name although the collector said CSP",
    rule: "csp-not-ksp",
    severity: "error",
    contains: ['"Microsoft Platform Crypto Provider"'],
    build: withFacts({ keyProvider: "Microsoft Platform Crypto Provider", keyProviderType: "CSP" }),
  },
  {
    // Issue 13: "any name containing Key Storage Provider ... is a KSP even when the type is missing".
    name: "KSP named, type not reported",
    rule: "csp-not-ksp",
    severity: "error",
    contains: ['"Microsoft Software Key Storage Provider"', "not reported"],
    build: withFacts({ keyProvider: "Microsoft Software Key Storage Provider", keyProviderType: null }),
  },
  {
    // Issue 13: a known legacy CSP name wins over a contradicting type; a warning about the collector's data.
    name: "legacy CSP named, reported as KSP",
    rule: "csp-not-ksp",
    severity: "warning",
    contains: ['"Microsoft Enhanced Cryptographic Provider v1.0"', "collector"],
    build: withFacts({
      keyProvider: "Microsoft Enhanced Cryptographic Provider v1.0",
      keyProviderType: "KSP",
    }),
  },
  {
    name: "no private key",
    rule: "private-key",
    severity: "error",
    contains: ["serial 1F00000008C694DAC94BCFDC4A000000000008", "no private key"],
    build: withFacts({ hasPrivateKey: false, keyProvider: null, keyProviderType: null, keySpec: null }),
  },
  {
    name: "key in a user key set",
    rule: "private-key",
    severity: "error",
    contains: ["MachineKeySet = FALSE"],
    build: withFacts({ machineKeySet: false }),
  },
  {
    name: "certificate in CurrentUser\\My",
    rule: "private-key",
    severity: "warning",
    contains: ['"CurrentUser\\My"', "LocalMachine\\My"],
    build: withFacts({ store: "CurrentUser\\My" }),
  },
  {
    name: "non-exportable key on a workgroup host",
    rule: "exportable",
    severity: "info",
    contains: ["not exportable", "non-domain-joined"],
    build: withFacts({ keyExportable: false }, { ...HOST, domainJoined: false }),
  },
  {
    // Issue 13: "KeySpec not reported: info".
    name: "KeySpec not reported",
    rule: "keyspec",
    severity: "info",
    contains: ["did not report", "KeySpec", "20069"],
    build: withFacts({ keySpec: null }),
  },
  {
    name: "KeySpec 2",
    rule: "keyspec",
    severity: "error",
    contains: ["KeySpec is 2 (AT_SIGNATURE", "1 (AT_KEYEXCHANGE)"],
    build: withFacts({ keySpec: 2 }),
  },
];
