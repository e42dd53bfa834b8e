/** Host-side facts a collector reports about a certificate, and the OpsMgr Connector events it reads. */
import type { CandidateCertificateFacts } from "@certfleet/contracts";
import type { DemoHost } from "./topology";

export const SCHANNEL_CSP = "Microsoft RSA SChannel Cryptographic Provider";
export const SOFTWARE_KSP = "Microsoft Software Key Storage Provider";
/** Another legacy CryptoAPI CSP, one the seed's template does not list but SCOM's legacy-CSP rule accepts. */
export const ENHANCED_RSA_AES_CSP = "Microsoft Enhanced RSA and AES Cryptographic Provider";

export const EVENT_LOADED = 20053;
/** The text Windows logs with 20053; other events go without a message rather than an invented one. */
export const LOADED_MESSAGE =
  "The OpsMgr Connector has loaded the specified authentication certificate successfully.";

/** Gateways whose certificate was imported into the "Operations Manager" store (SCOM reads it there too). */
const OPERATIONS_MANAGER_STORE = new Set([
  "gw02.dmz.contoso.com",
  "gw03.dmz.contoso.com",
  "gw05.dmz.contoso.com",
]);

/**
 * A channel certificate as SCOM wants it: legacy CSP, exchange key, machine key set, LocalMachine\My.
 * Workgroup/DMZ hosts got theirs requested elsewhere and imported as a PFX, so their keys are exportable;
 * domain members auto-enrolled with a non-exportable key.
 */
export function channelFacts(
  host: DemoHost,
  overrides: Partial<CandidateCertificateFacts> = {},
): CandidateCertificateFacts {
  return {
    hasPrivateKey: true,
    keyProvider: SCHANNEL_CSP,
    keyProviderType: "CSP",
    keySpec: 1,
    keyExportable: !host.domainJoined,
    hostChainValid: true,
    hostChainStatus: [],
    store: OPERATIONS_MANAGER_STORE.has(host.fqdn) ? "LocalMachine\\Operations Manager" : "LocalMachine\\My",
    machineKeySet: true,
    ...overrides,
  };
}

/** A CA certificate someone imported into the machine's Personal store: no key, nothing to say about one. */
export const CA_IN_STORE_FACTS: CandidateCertificateFacts = {
  hasPrivateKey: false,
  keyProvider: null,
  keyProviderType: null,
  keySpec: null,
  keyExportable: null,
  hostChainValid: true,
  hostChainStatus: [],
  store: "LocalMachine\\My",
  machineKeySet: null,
};
