/**
 * What the host's own chain build reported (contract `certificates[].hostChainStatus`), flag by flag. The
 * names and meanings are .NET's X509ChainStatusFlags (Microsoft Learn, "X509ChainStatusFlags Enum"), which
 * a collector reads from `X509Chain.ChainStatus[].Status` (contract: flag names such as `UntrustedRoot`). Only the two flags that say revocation could
 * not be checked are softer: a DMZ gateway that cannot reach the CRL still holds a trusted chain (issue
 * 13). Every other flag, and anything certfleet does not recognise, keeps the chain an error.
 */

export type ChainStatusClass =
  /** Revocation could not be checked (CRL or OCSP unreachable): the chain itself may be fine. */
  | "revocation-unchecked"
  /** The chain is not trusted: SCOM's channel cannot rely on it. */
  | "untrusted"
  /** Not a problem (NoError). */
  | "none";

export interface ChainStatusFlag {
  name: string;
  /** The flag's numeric value, so a collector that sends numbers is read the same way. */
  value: number;
  class: ChainStatusClass;
  /** Microsoft's meaning, shortened. */
  meaning: string;
}

export const CHAIN_STATUS_FLAGS: readonly ChainStatusFlag[] = [
  { name: "NoError", value: 0, class: "none", meaning: "no error" },
  {
    name: "NotTimeValid",
    value: 1,
    class: "untrusted",
    meaning: "a certificate in the chain is expired or not yet valid",
  },
  { name: "NotTimeNested", value: 2, class: "untrusted", meaning: "validity periods are not nested" },
  { name: "Revoked", value: 4, class: "untrusted", meaning: "a certificate in the chain is revoked" },
  { name: "NotSignatureValid", value: 8, class: "untrusted", meaning: "a certificate signature is invalid" },
  { name: "NotValidForUsage", value: 16, class: "untrusted", meaning: "the key usage is not valid" },
  { name: "UntrustedRoot", value: 32, class: "untrusted", meaning: "the root is not trusted on this host" },
  {
    name: "RevocationStatusUnknown",
    value: 64,
    class: "revocation-unchecked",
    meaning: "revocation could not be determined (CRL offline or unavailable)",
  },
  { name: "Cyclic", value: 128, class: "untrusted", meaning: "the chain could not be built (cyclic)" },
  { name: "InvalidExtension", value: 256, class: "untrusted", meaning: "an extension is invalid" },
  { name: "InvalidPolicyConstraints", value: 512, class: "untrusted", meaning: "invalid policy constraints" },
  { name: "InvalidBasicConstraints", value: 1024, class: "untrusted", meaning: "invalid basic constraints" },
  { name: "InvalidNameConstraints", value: 2048, class: "untrusted", meaning: "invalid name constraints" },
  {
    name: "HasNotSupportedNameConstraint",
    value: 4096,
    class: "untrusted",
    meaning: "unsupported name constraint",
  },
  {
    name: "HasNotDefinedNameConstraint",
    value: 8192,
    class: "untrusted",
    meaning: "undefined name constraint",
  },
  {
    name: "HasNotPermittedNameConstraint",
    value: 16384,
    class: "untrusted",
    meaning: "impermissible name constraint",
  },
  {
    name: "HasExcludedNameConstraint",
    value: 32768,
    class: "untrusted",
    meaning: "excluded name constraint",
  },
  {
    name: "PartialChain",
    value: 65536,
    class: "untrusted",
    meaning: "the chain could not be built up to a root (an issuing CA certificate is missing)",
  },
  {
    name: "CtlNotTimeValid",
    value: 131072,
    class: "untrusted",
    meaning: "the certificate trust list is not time valid",
  },
  {
    name: "CtlNotSignatureValid",
    value: 262144,
    class: "untrusted",
    meaning: "the certificate trust list signature is invalid",
  },
  {
    name: "CtlNotValidForUsage",
    value: 524288,
    class: "untrusted",
    meaning: "the certificate trust list is not valid for this use",
  },
  { name: "HasWeakSignature", value: 1048576, class: "untrusted", meaning: "a signature uses a weak hash" },
  {
    name: "OfflineRevocation",
    value: 16777216,
    class: "revocation-unchecked",
    meaning: "the revocation server (CRL or OCSP) was offline",
  },
  {
    name: "NoIssuanceChainPolicy",
    value: 33554432,
    class: "untrusted",
    meaning: "no certificate policy extension where one is required",
  },
  {
    name: "ExplicitDistrust",
    value: 67108864,
    class: "untrusted",
    meaning: "the certificate is explicitly distrusted",
  },
  {
    name: "HasNotSupportedCriticalExtension",
    value: 134217728,
    class: "untrusted",
    meaning: "an unsupported critical extension",
  },
];

const BY_NAME = new Map(CHAIN_STATUS_FLAGS.map((flag) => [flag.name.toLowerCase(), flag]));
const BY_VALUE = new Map(CHAIN_STATUS_FLAGS.map((flag) => [String(flag.value), flag]));

/** One reported status: the flag certfleet recognised in it (or null), and the text as sent. */
export interface ReadChainStatus {
  reported: string;
  flag: ChainStatusFlag | null;
}

/**
 * Reads the flags out of the reported strings. A collector may send a flag name ("UntrustedRoot"), a
 * combined enum string ("RevocationStatusUnknown, OfflineRevocation"), a number, or the name followed by
 * Windows' status text ("OfflineRevocation: The revocation function was unable to check ..."): each
 * comma- or pipe-separated part is read by its leading word. A part naming no known flag stays unknown.
 */
export function readChainStatuses(statuses: readonly string[]): ReadChainStatus[] {
  const out: ReadChainStatus[] = [];
  for (const status of statuses) {
    if (!status.trim()) continue;
    // Windows' status text is prose after the flag name; only the flag list before it is split.
    const [flagList = ""] = status.split(":");
    for (const part of flagList.split(/[,|]/)) {
      const word = part.trim().match(/^[A-Za-z]+|^\d+/)?.[0] ?? "";
      if (!word) continue;
      const flag = BY_NAME.get(word.toLowerCase()) ?? BY_VALUE.get(word) ?? null;
      const reported = flag ? flag.name : part.trim();
      // X509Chain repeats a flag for each chain element it applies to: name it once.
      if (!out.some((seen) => seen.reported === reported)) out.push({ reported, flag });
    }
    if (!flagList.trim()) out.push({ reported: status.trim(), flag: null });
  }
  return out;
}

/** How a reported status counts: unknown text counts as untrusted (never softened on a guess). */
export function classOf(status: ReadChainStatus): ChainStatusClass {
  return status.flag?.class ?? "untrusted";
}

/** "UntrustedRoot (the root is not trusted on this host)", or the text as sent when unknown. */
export function describeChainStatus(status: ReadChainStatus): string {
  return status.flag ? `${status.flag.name} (${status.flag.meaning})` : `"${status.reported}"`;
}
