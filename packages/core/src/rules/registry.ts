import { hashNamesCertificate, registryValue } from "../binding";
import { formatDay, isExpired } from "../expiry";
import { tryNormalizeHex } from "../hex";
import { certificateNamesHost } from "../names";
import { OID } from "../oids";
import { mirroredSerialToHex } from "../serial";
import type { CandidateCertificateEvidence, Finding, ParsedCertificate } from "../types";
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

/**
 * A certificate SCOM could use instead: names this host, currently valid, has its private key and both
 * channel EKUs, and outlives the bound one. Such a certificate sitting in the store means a renewal (often
 * auto-enrollment) happened without MOMCertImport (seed "Optional: Configure certificate auto-enrollment
 * and renewal", NOTE). Newest expiry first; thumbprint order breaks ties deterministically.
 */
export function newerUnimportedCertificate(context: RuleContext): CandidateCertificateEvidence | null {
  const { input, bound, now } = context;
  const boundNotAfter = bound ? Date.parse(bound.evidence.certificate.notAfter) : Number.NEGATIVE_INFINITY;
  const candidates = input.certificates.filter(({ certificate: c, facts }) => {
    if (bound && c.sha256 === bound.evidence.certificate.sha256) return false;
    const usable = facts.hasPrivateKey && !c.isCa && Date.parse(c.notBefore) <= now.getTime();
    const ekus = c.extendedKeyUsages ?? [];
    return (
      usable &&
      !isExpired(c.notAfter, now) &&
      Date.parse(c.notAfter) > boundNotAfter &&
      ekus.includes(OID.serverAuth) &&
      ekus.includes(OID.clientAuth) &&
      certificateNamesHost(c, input.host)
    );
  });
  candidates.sort(
    (a, b) =>
      Date.parse(b.certificate.notAfter) - Date.parse(a.certificate.notAfter) ||
      a.certificate.thumbprint.localeCompare(b.certificate.thumbprint),
  );
  return candidates[0] ?? null;
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
  const candidate = newerUnimportedCertificate(context);
  const hint = candidate
    ? `; a valid certificate for this host (${identify(candidate.certificate)}) is in the store: run MOMCertImport`
    : "";
  const remediation = candidate
    ? `${IMPORT} the certificate with serial ${candidate.certificate.serialNumber}; then look for event 20053.`
    : undefined;
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
  if (!context.bound) return [unboundFinding(context, serial)];
  const out = bindingFindings(context, serial, hash);
  const newer = newerUnimportedCertificate(context);
  if (newer) {
    out.push(
      finding(
        "registry-serial",
        "warning",
        `renewed but not re-imported: a newer valid certificate for this host, serial ${newer.certificate.serialNumber}, expiring ${formatDay(newer.certificate.notAfter)}, is in the store but not imported: run MOMCertImport`,
        `${IMPORT} the certificate with serial ${newer.certificate.serialNumber}; then look for event 20053.`,
      ),
    );
  }
  return out;
};
