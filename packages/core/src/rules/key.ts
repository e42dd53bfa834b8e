import { isChannelStore } from "../stores";
import { type CertificateRule, finding } from "./context";

/**
 * Microsoft's CNG Key Storage Providers. SCOM needs a legacy CSP (seed "Certificate Requirements":
 * "Cryptography API Key Storage Provider (KSP) isn't supported"), so a provider named here fails even
 * when the collector could not classify it.
 */
const KNOWN_KSPS = [
  "microsoft software key storage provider",
  "microsoft platform crypto provider",
  "microsoft smart card key storage provider",
  "microsoft passport key storage provider",
];

/** csp-not-ksp. Silent when the collector reported neither provider name nor type (no private key, say). */
export const cspNotKspRule: CertificateRule = ({ facts }) => {
  const provider = facts.keyProvider?.trim() ?? "";
  const knownKsp = KNOWN_KSPS.includes(provider.toLowerCase());
  if (facts.keyProviderType !== "KSP" && !knownKsp) return [];
  const named = provider ? `"${provider}"` : "the key's provider";
  return [
    finding(
      "csp-not-ksp",
      "error",
      `the private key is held by ${named}, a Key Storage Provider (CNG); SCOM supports only legacy CSPs such as "Microsoft RSA SChannel Cryptographic Provider"`,
    ),
  ];
};

/**
 * The store the certificate is in, when it is not one the HealthService reads (LocalMachine\My or the
 * "Operations Manager" store, on every role: see isChannelStore).
 */
function storeProblem(store: string): string | null {
  if (isChannelStore(store)) return null;
  return `the certificate is in the "${store}" store, not LocalMachine\\My or the "Operations Manager" store`;
}

/**
 * private-key (seed "Add the certificate to the Certificate Store", TIP: a certificate deleted and
 * re-imported loses its private key; "MachineKeySet = TRUE"). Missing key or a user key set is an error;
 * an unexpected store is a warning.
 */
export const privateKeyRule: CertificateRule = ({ certificate, facts }) => {
  if (!facts.hasPrivateKey) {
    return [
      finding(
        "private-key",
        "error",
        `the certificate (serial ${certificate.serialNumber}) has no private key on this host; SCOM needs it to encrypt outgoing data`,
        `Restore the private key: certutil -repairstore my ${certificate.serialNumber} (or re-import the PFX with its key into the Local Computer Personal store), then run MOMCertImport.`,
      ),
    ];
  }
  const out = [];
  if (facts.machineKeySet === false) {
    out.push(
      finding(
        "private-key",
        "error",
        "the private key is in a user key set, not the machine key set (MachineKeySet = FALSE); the SCOM service cannot use it",
        "Export the certificate with its private key (PFX) and import it into the Local Computer Personal store (certlm.msc), or request it with MachineKeySet = TRUE; then run MOMCertImport.",
      ),
    );
  }
  const problem = facts.store ? storeProblem(facts.store) : null;
  if (problem) {
    out.push(
      finding(
        "private-key",
        "warning",
        `${problem}; SCOM looks for its certificate in the Local Computer Personal store`,
        "Import the certificate with its private key into Local Computer > Personal (certlm.msc), then run MOMCertImport.",
      ),
    );
  }
  return out;
};

/**
 * exportable, info only (ARCHITECTURE): SCOM works with a non-exportable key. It is worth knowing on a host
 * that is not domain-joined, where the seed's flow requests the certificate on another machine and moves it
 * (Key Exportable = TRUE "is required when requesting certificates to be used on non-domain joined systems").
 */
export const exportableRule: CertificateRule = ({ facts, input }) => {
  if (facts.keyExportable !== false || input.host.domainJoined) return [];
  return [
    finding(
      "exportable",
      "info",
      "the private key is not exportable; on this non-domain-joined host the certificate cannot be exported with its key to move or back it up (SCOM itself is unaffected)",
      "Nothing to fix now. Request the next certificate for this host with Key Exportable = TRUE (template: Allow private key to be exported) so it can be moved from the requesting machine.",
    ),
  ];
};

const KEY_SPEC_NAMES: Readonly<Record<number, string>> = {
  0: "0 (neither AT_KEYEXCHANGE nor AT_SIGNATURE)",
  2: "2 (AT_SIGNATURE, a signature-only key)",
};

/** keyspec (seed .inf: "KeySpec = 1 ; AT_KEYEXCHANGE"). Silent when the collector could not read it. */
export const keySpecRule: CertificateRule = ({ facts }) => {
  const spec = facts.keySpec;
  if (spec === null || spec === undefined || spec === 1) return [];
  return [
    finding(
      "keyspec",
      "error",
      `KeySpec is ${KEY_SPEC_NAMES[spec] ?? String(spec)}; SCOM needs 1 (AT_KEYEXCHANGE)`,
    ),
  ];
};
