import { isChannelStore } from "../stores";
import { type CertificateRule, finding } from "./context";
import { providerKindByName } from "./key-providers";

const SCHANNEL = "Microsoft RSA SChannel Cryptographic Provider";

/**
 * csp-not-ksp (seed "Certificate Requirements": KSP isn't supported). The provider's name decides before
 * the reported type (key-providers.ts): a KSP name fails even when the type is missing or says CSP, and a
 * legacy CSP name with a reported KSP type is the collector's mistake, a warning about its data. Silent
 * when neither says KSP (no private key, say, reports neither).
 */
export const cspNotKspRule: CertificateRule = ({ certificate, facts }) => {
  const provider = facts.keyProvider?.trim() ?? "";
  const byName = providerKindByName(provider);
  const reported = facts.keyProviderType ?? null;
  if (byName === "CSP" && reported === "KSP") {
    return [
      finding(
        "csp-not-ksp",
        "warning",
        `the collector reported keyProviderType KSP for "${provider}", which is a legacy CryptoAPI CSP; certfleet goes by the provider's name (a legacy CSP, as SCOM needs), so the collector's data is inconsistent, not the key`,
        `Nothing to change on the certificate. Check how the collector classifies key providers: certutil -store my ${certificate.serialNumber} on the host shows the provider, "${provider}", a legacy CSP.`,
      ),
    ];
  }
  const isKsp = byName === "KSP" || (byName === null && reported === "KSP");
  if (!isKsp) return [];
  const named = provider ? `"${provider}"` : "the key's provider";
  const typeNote =
    byName === "KSP" && reported !== "KSP"
      ? ` (known by its name, whatever the collector's type: ${reported ?? "not reported"})`
      : "";
  return [
    finding(
      "csp-not-ksp",
      "error",
      `the private key is held by ${named}, a Key Storage Provider (CNG)${typeNote}; SCOM supports only legacy CSPs such as "${SCHANNEL}"`,
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

/**
 * keyspec (seed .inf: "KeySpec = 1 ; AT_KEYEXCHANGE"). Not reported (null or absent) is info (issue 13):
 * nothing is known to be wrong, and the events rule shows 20069 if SCOM refused the key. Silent without a
 * private key, where there is no KeySpec to read and the private-key rule already fails.
 */
export const keySpecRule: CertificateRule = ({ certificate, facts }) => {
  const spec = facts.keySpec;
  if (spec === 1) return [];
  if (spec === null || spec === undefined) {
    if (!facts.hasPrivateKey) return [];
    return [
      finding(
        "keyspec",
        "info",
        "the collector did not report the key's KeySpec, so certfleet cannot confirm it is 1 (AT_KEYEXCHANGE) as SCOM needs; SCOM logs event 20069 when it is not",
        `Nothing to fix unless SCOM logged 20069. To check on the host: certutil -v -store my ${certificate.serialNumber} shows the key's KeySpec (1 = AT_KEYEXCHANGE).`,
      ),
    ];
  }
  return [
    finding(
      "keyspec",
      "error",
      `KeySpec is ${KEY_SPEC_NAMES[spec] ?? String(spec)}; SCOM needs 1 (AT_KEYEXCHANGE)`,
    ),
  ];
};
