import { tryNormalizeHex } from "./hex";
import { compareRegistrySerial } from "./serial";
import { isChannelCandidate } from "./stores";
import type { BoundCertificate, CandidateCertificateEvidence, HostEvaluationInput } from "./types";

type Registry = HostEvaluationInput["registry"];

/**
 * ChannelCertificateHash is a thumbprint (SHA-1, what Windows shows); a collector that sends a SHA-256
 * fingerprint instead is matched too, since both name exactly one DER.
 */
export function hashNamesCertificate(hash: string, evidence: CandidateCertificateEvidence): boolean {
  const normalized = tryNormalizeHex(hash);
  if (!normalized) return false;
  const { thumbprint, sha256 } = evidence.certificate;
  return normalized === thumbprint.toUpperCase() || normalized === sha256.toUpperCase();
}

/** Present and not blank. */
export function registryValue(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && value.trim().length > 0 ? value : null;
}

/**
 * Among several certificates with the same serial (the same certificate in two stores, or two CAs that
 * reused a serial), prefer the one the hash names, then a channel candidate over SCOM's own self-signed
 * certificate (isChannelCandidate), then one with a private key, then the latest expiry; input order breaks
 * the remaining ties so the choice is deterministic.
 */
function preferred(
  candidates: CandidateCertificateEvidence[],
  hash: string | null,
): CandidateCertificateEvidence {
  const rank = (e: CandidateCertificateEvidence): number[] => [
    hash && hashNamesCertificate(hash, e) ? 0 : 1,
    isChannelCandidate(e) ? 0 : 1,
    e.facts.hasPrivateKey ? 0 : 1,
    -Date.parse(e.certificate.notAfter),
  ];
  const indexed = candidates.map((evidence, index) => ({ evidence, index, key: rank(evidence) }));
  indexed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const d = (a.key[i] ?? 0) - (b.key[i] ?? 0);
      if (d !== 0) return d;
    }
    return a.index - b.index;
  });
  const [best] = indexed;
  if (!best) throw new RangeError("preferred() needs at least one candidate");
  return best.evidence;
}

/**
 * The certificate the channel uses: the store certificate whose serial matches the registry value
 * (ARCHITECTURE "Details that matter"). Exact byte matches win over numeric-only ones. When the serial
 * is absent or names nothing, ChannelCertificateHash (newer agents) is accepted as the binding.
 */
export function findBoundCertificate(
  registry: Registry,
  certificates: CandidateCertificateEvidence[],
): BoundCertificate | null {
  const serial = registryValue(registry.channelCertificateSerialNumber);
  const hash = registryValue(registry.channelCertificateHash);
  if (serial) {
    const compared = certificates.map((evidence) => ({
      evidence,
      result: compareRegistrySerial(serial, evidence.certificate.serialNumber),
    }));
    for (const match of ["exact", "numeric-only"] as const) {
      const hits = compared.filter((c) => c.result === match).map((c) => c.evidence);
      if (hits.length > 0) return { evidence: preferred(hits, hash), match };
    }
  }
  if (hash) {
    const hits = certificates.filter((e) => hashNamesCertificate(hash, e));
    if (hits.length > 0) return { evidence: preferred(hits, hash), match: "hash" };
  }
  return null;
}
