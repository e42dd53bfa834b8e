/**
 * Which key providers SCOM can use, by name. The seed ("Certificate Requirements": "Cryptography API Key
 * Storage Provider (KSP) isn't supported", "Provider Category: Legacy Cryptography Service Provider") asks
 * for a legacy CSP; issue 13 makes the provider's name decide before the type a collector reports, because
 * Windows names its providers unambiguously while a collector's CSP/KSP guess can be wrong.
 */

export type ProviderKind = "CSP" | "KSP";

/** Microsoft's legacy CryptoAPI providers that hold RSA keys (CryptoAPI "Microsoft Cryptographic Service Providers"). */
export const LEGACY_CSP_NAMES: readonly string[] = [
  "Microsoft RSA SChannel Cryptographic Provider",
  "Microsoft Enhanced Cryptographic Provider v1.0",
  "Microsoft Strong Cryptographic Provider",
  "Microsoft Enhanced RSA and AES Cryptographic Provider",
  "Microsoft Base Cryptographic Provider v1.0",
];

/**
 * CNG Key Storage Providers: every Microsoft KSP is called "... Key Storage Provider" except the TPM's,
 * "Microsoft Platform Crypto Provider".
 */
export const KSP_NAME_FRAGMENT = "key storage provider";
export const KSP_NAMES: readonly string[] = ["Microsoft Platform Crypto Provider"];

const normalize = (name: string): string => name.trim().replace(/\s+/g, " ").toLowerCase();
const LEGACY = new Set(LEGACY_CSP_NAMES.map(normalize));
const KSP = new Set(KSP_NAMES.map(normalize));

/** CSP or KSP by the provider's name; null for a name certfleet does not know (then the reported type decides). */
export function providerKindByName(name: string | null | undefined): ProviderKind | null {
  if (!name) return null;
  const key = normalize(name);
  if (LEGACY.has(key)) return "CSP";
  if (KSP.has(key) || key.includes(KSP_NAME_FRAGMENT)) return "KSP";
  return null;
}
