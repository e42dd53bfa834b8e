import { hashNamesCertificate, registryValue } from "../binding";
import { formatDay } from "../expiry";
import { tryNormalizeHex } from "../hex";
import { matchHostName, nameScomReads } from "../names";
import { OID } from "../oids";
import { mirroredSerialToHex } from "../serial";
import { isChannelCandidate } from "../stores";
import type { CandidateCertificateEvidence, Finding, HostIdentity, ParsedCertificate } from "../types";
import { certificateRuleFindings } from "./certificate-rules";
import { finding, type HostRule, plural, type RuleContext } from "./context";
import { EVENT_NO_CERTIFICATE_SPECIFIED } from "./event-meanings";
import { newestEventOf } from "./events";
import { usesKerberos } from "./kerberos";

const IMPORT = "Run MOMCertImport.exe on the host and select";

function identify(certificate: ParsedCertificate): string {
  return `serial ${certificate.serialNumber}, expiring ${formatDay(certificate.notAfter)}`;
}

/** Registry values as normalised hex when they are hex, verbatim otherwise (so odd input is shown as sent). */
function shown(value: string): string {
  return tryNormalizeHex(value) ?? value;
}

/** A newer certificate for this host in the store, judged as if MOMCertImport had bound it. */
export interface StoreRenewal {
  evidence: CandidateCertificateEvidence;
  /**
   * Its error findings as if bound (name, EKU, key usage, RSA size, hash, validity, CSP, private key,
   * machine key set, KeySpec, chain): none when MOMCertImport could make it replace the bound one.
   */
  blockers: Finding[];
}

/**
 * "For this host": the name SCOM reads names the host in some form (whether SCOM accepts that form is the
 * subject-fqdn rule's call, judged with the others), and the certificate carries Client Authentication.
 * Only a channel certificate needs Client Authentication: a web server certificate for the same name
 * (Server Authentication only) is not a renewal of the channel certificate and must not nag about it.
 */
function isForThisHost({ certificate }: CandidateCertificateEvidence, host: HostIdentity): boolean {
  const read = nameScomReads(certificate);
  if (!read || matchHostName(read.name, host) === "mismatch") return false;
  return certificate.extendedKeyUsages?.includes(OID.clientAuth) ?? false;
}

/**
 * Certificates for this host that outlive the bound one (any, when nothing is bound), newest expiry first
 * (thumbprint order breaks ties), each judged by the certificate rules themselves as if it were bound
 * (issue 13: "only points at a store certificate that would itself pass every error-level certificate
 * rule"). Never a CA certificate nor SCOM's own self-signed one (isChannelCandidate). A renewal without
 * blockers sitting in the store means auto-enrollment renewed it and MOMCertImport was not run (seed
 * "Optional: Configure certificate auto-enrollment and renewal", NOTE).
 */
export function storeRenewals(context: RuleContext): StoreRenewal[] {
  const { input, bound } = context;
  const boundSha256 = bound?.evidence.certificate.sha256;
  const boundNotAfter = bound ? Date.parse(bound.evidence.certificate.notAfter) : Number.NEGATIVE_INFINITY;
  // Not bound anywhere yet: the duplicate rule has nothing to say about it.
  const asIfBound: RuleContext = { ...context, input: { ...input, otherHostsBoundToSameCertificate: [] } };
  return input.certificates
    .filter(
      (evidence) =>
        evidence.certificate.sha256 !== boundSha256 &&
        isChannelCandidate(evidence) &&
        Date.parse(evidence.certificate.notAfter) > boundNotAfter &&
        isForThisHost(evidence, input.host),
    )
    .sort(
      (a, b) =>
        Date.parse(b.certificate.notAfter) - Date.parse(a.certificate.notAfter) ||
        a.certificate.thumbprint.localeCompare(b.certificate.thumbprint),
    )
    .map((evidence) => ({
      evidence,
      blockers: certificateRuleFindings(asIfBound, { evidence, match: "exact" }).filter(
        (f) => f.severity === "error",
      ),
    }));
}

/**
 * What to say about the store's renewals (this replaces the former newerUnimportedCertificate): the newest
 * importable one when there is one; else the newest that is not, with what keeps it from working, and the fixes of exactly those problems. Never "run MOMCertImport"
 * for a certificate SCOM would refuse.
 */
function renewalAdvice(
  context: RuleContext,
): { kind: "importable" | "blocked"; renewal: StoreRenewal } | null {
  const renewals = storeRenewals(context);
  const importable = renewals.find((renewal) => renewal.blockers.length === 0);
  if (importable) return { kind: "importable", renewal: importable };
  const [newest] = renewals;
  return newest ? { kind: "blocked", renewal: newest } : null;
}

function blockerReasons(blockers: readonly Finding[]): string {
  return blockers.map((blocker) => `[${blocker.ruleId}] ${blocker.message}`).join("; ");
}

function blockerRemediation(certificate: ParsedCertificate, blockers: readonly Finding[]): string {
  const fixes = [...new Set(blockers.map((blocker) => blocker.remediation))];
  return `Serial ${certificate.serialNumber} cannot be used as it is: ${fixes.join(" ")}`;
}

/**
 * 21022 ("no certificate specified", MOMConnector event reference) says from the host's own side what an
 * absent registry value says: the newest one, named beside it, corroborates the finding (issue 13).
 */
function noCertificateSpecified(events: RuleContext["input"]["events"]): string {
  const newest = newestEventOf(events, EVENT_NO_CERTIFICATE_SPECIFIED);
  return newest ? ` (event 21022 at ${newest.time}, no certificate specified, confirms it)` : "";
}

/**
 * A domain host whose management servers are in a trusted domain needs no channel certificate: SCOM
 * uses certificates only where Kerberos cannot work (the seed's first paragraph). An admin said this
 * host is such a host, and it has no certificate configured: that is expected, so info, not an error.
 */
function kerberosFinding(): Finding {
  return finding(
    "registry-serial",
    "info",
    "uses Kerberos: no channel certificate is configured, which is expected for a domain host whose management servers are in a trusted domain",
    "Nothing to fix while Kerberos works. If this host does need a certificate (its management servers are in a domain without a two-way trust, or it reports to a gateway across a trust boundary), set certificate authentication to required for the host or its management group in certfleet, then request one and import it with MOMCertImport.",
  );
}

function unboundFinding(context: RuleContext, serial: string | null): Finding {
  const { input } = context;
  if (usesKerberos(context)) return kerberosFinding();
  const advice = renewalAdvice(context);
  let hint = "";
  let remediation: string | undefined;
  if (advice?.kind === "importable") {
    const { certificate } = advice.renewal.evidence;
    hint = `; a valid certificate for this host (${identify(certificate)}) is in the store: run MOMCertImport`;
    remediation = `${IMPORT} the certificate with serial ${certificate.serialNumber}; then look for event 20053.`;
  } else if (advice) {
    const { evidence, blockers } = advice.renewal;
    hint = `; a certificate for this host (${identify(evidence.certificate)}) is in the store but cannot be imported: ${blockerReasons(blockers)}`;
    remediation = blockerRemediation(evidence.certificate, blockers);
  }
  if (serial === null) {
    return finding(
      "registry-serial",
      "error",
      `ChannelCertificateSerialNumber is absent: no certificate was imported with MOMCertImport, so the SCOM channel has no certificate${noCertificateSpecified(input.events)}${hint}`,
      remediation,
    );
  }
  const hex = tryNormalizeHex(serial);
  const what =
    hex === null
      ? `ChannelCertificateSerialNumber "${serial}" is not hexadecimal`
      : `ChannelCertificateSerialNumber ${hex} (certificate serial ${mirroredSerialToHex(hex)} once un-mirrored) matches none of the ${plural(input.certificates.length, "certificate")} in the store`;
  return finding(
    "registry-serial",
    "error",
    `${what}; SCOM has no usable channel certificate${hint}`,
    remediation,
  );
}

/** Findings about how the registry names the bound certificate (serial form and ChannelCertificateHash). */
function bindingFindings(context: RuleContext, serial: string | null, hash: string | null): Finding[] {
  const { bound, input } = context;
  if (!bound) return [];
  const certificate = bound.evidence.certificate;
  const out: Finding[] = [];
  if (bound.match === "numeric-only") {
    out.push(
      finding(
        "registry-serial",
        "warning",
        `ChannelCertificateSerialNumber ${shown(serial ?? "")} has the same value as serial ${certificate.serialNumber} but not the same bytes (a missing 00 sign byte or extra zero bytes); SCOM may not find the certificate`,
        `${IMPORT} this certificate again so the registry holds its serial exactly as MOMCertImport writes it.`,
      ),
    );
  }
  if (bound.match === "hash" && serial === null) {
    out.push(
      finding(
        "registry-serial",
        "warning",
        `ChannelCertificateSerialNumber is absent; the certificate (${identify(certificate)}) was found only by ChannelCertificateHash ${shown(hash ?? "")}`,
        `${IMPORT} this certificate so both registry values are written.`,
      ),
    );
  }
  if (bound.match === "hash" && serial !== null) {
    out.push(
      finding(
        "registry-serial",
        "error",
        `ChannelCertificateSerialNumber ${shown(serial)} matches none of the ${plural(input.certificates.length, "certificate")} in the store, while ChannelCertificateHash names the certificate with ${identify(certificate)}: the two registry values disagree`,
        `${IMPORT} the intended certificate so both registry values name it.`,
      ),
    );
  }
  if (bound.match !== "hash" && hash !== null && !hashNamesCertificate(hash, bound.evidence)) {
    const named = input.certificates.find((e) => hashNamesCertificate(hash, e));
    const target = named
      ? `the certificate with ${identify(named.certificate)}`
      : "no certificate in the store";
    out.push(
      finding(
        "registry-serial",
        "error",
        `ChannelCertificateHash ${shown(hash)} names ${target}, but ChannelCertificateSerialNumber names the certificate with ${identify(certificate)} (thumbprint ${certificate.thumbprint})`,
        `${IMPORT} the intended certificate so both registry values name it.`,
      ),
    );
  }
  return out;
}

/**
 * registry-serial (seed "Import the certificate into Operations Manager": MOMCertImport writes the serial,
 * mirrored, to ChannelCertificateSerialNumber).
 */
export const registrySerialRule: HostRule = (context) => {
  const serial = registryValue(context.input.registry.channelCertificateSerialNumber);
  const hash = registryValue(context.input.registry.channelCertificateHash);
  const { bound } = context;
  if (!bound) return [unboundFinding(context, serial)];
  const out = bindingFindings(context, serial, hash);
  const advice = renewalAdvice(context);
  if (advice?.kind === "importable") {
    const { certificate } = advice.renewal.evidence;
    out.push(
      finding(
        "registry-serial",
        "warning",
        `renewed but not re-imported: a newer valid certificate for this host, serial ${certificate.serialNumber}, expiring ${formatDay(certificate.notAfter)}, is in the store but not imported: run MOMCertImport`,
        `${IMPORT} the certificate with serial ${certificate.serialNumber}; then look for event 20053.`,
      ),
    );
  } else if (advice) {
    // A warning, not an error: the bound certificate still carries the channel (its own findings say how
    // well), but the renewal meant to replace it would fail, so the host is headed for an outage when the
    // bound one expires unless someone fixes the renewal first.
    const { evidence, blockers } = advice.renewal;
    out.push(
      finding(
        "registry-serial",
        "warning",
        `renewal cannot be imported: a newer certificate for this host, ${identify(evidence.certificate)}, is in the store but cannot replace the bound certificate (serial ${bound.evidence.certificate.serialNumber}): ${blockerReasons(blockers)}`,
        blockerRemediation(evidence.certificate, blockers),
      ),
    );
  }
  return out;
};
