/**
 * What each scenario changes in a host's current report: the one deliberate fault, and what a real host
 * in that state would also show (typically the OpsMgr Connector event SCOM logs for it).
 */
import type { CandidateCertificateFacts } from "@certfleet/contracts";
import { EKU_SERVER_AUTH, KU } from "@certfleet/pki";
import { type CertificateDraft, DAY, shortName } from "./certificate-plans";
import { ENHANCED_RSA_AES_CSP, SOFTWARE_KSP } from "./facts";
import type { HostContext } from "./host-plan";
import type { ScenarioId } from "./scenarios";
import type { DemoHost } from "./topology";

/** The current report before it is written down; the scenario edits it. */
export interface Draft {
  certificate: CertificateDraft;
  signByte: boolean;
  facts: CandidateCertificateFacts;
  /** The newest certificate-load event (20053 or a failure id); null when the log has none. */
  load: number | null;
  /** Events after the load (channel problems). */
  after: number[];
  /**
   * MOMCertImport ran again after the newest load and the Health Service was not restarted since: the
   * report (contract 1.1) carries the Machine Settings key's last write, newer than the newest 20053.
   */
  registryWrittenAfterLoad: boolean;
  registry: "bound" | "none" | "previous" | "no-sign-byte";
  /** Which certificate ChannelCertificateHash names, if the host writes it. */
  hash: "bound" | "previous" | "none";
  /** An earlier certificate of the host still in the store. */
  previousInStore: boolean;
  /** A renewed certificate auto-enrollment put in the store, never imported. */
  renewed: boolean;
  /** What the host knows about the renewal's key, when it differs from a good channel certificate's. */
  renewalFacts: Partial<CandidateCertificateFacts>;
  caInStore: boolean;
  /** No channel certificate at all: nothing in the store, no registry value, no load event (Kerberos). */
  noCertificate?: boolean;
}

/** The scenario's one deliberate fault (and what a real host in that state would also show). */
export function applyScenario(
  scenario: ScenarioId,
  host: DemoHost,
  draft: Draft,
  context: HostContext,
): void {
  const { random, now } = context;
  const certificate = draft.certificate;
  switch (scenario) {
    case "healthy":
      return;
    case "renewed-not-reimported":
      draft.renewed = true;
      return;
    case "renewal-without-key":
      // Deleted and imported again from a .cer: the certificate is back, its private key is not (seed
      // "Add the certificate to the Certificate Store", TIP).
      draft.renewed = true;
      draft.renewalFacts = {
        hasPrivateKey: false,
        keyProvider: null,
        keyProviderType: null,
        keySpec: null,
        keyExportable: null,
        machineKeySet: null,
      };
      return;
    case "renewal-ksp":
      // Someone duplicated the template with a Key Storage Provider: auto-enrollment renewed into a KSP.
      draft.renewed = true;
      draft.renewalFacts = { keyProvider: SOFTWARE_KSP, keyProviderType: "KSP", keySpec: 0 };
      return;
    case "subject-other-name": {
      const other = context.otherHostName(host);
      Object.assign(certificate, { subject: `CN=${other}`, dnsNames: [other] });
      draft.load = 20052;
      return;
    }
    case "subject-netbios-on-domain":
      Object.assign(certificate, { subject: `CN=${shortName(host.fqdn)}`, dnsNames: [] });
      draft.load = 20052;
      return;
    case "subject-netbios-on-fqdn-host":
      // A workgroup host known by its FQDN, with a certificate for its NetBIOS name only.
      Object.assign(certificate, { subject: `CN=${shortName(host.fqdn)}`, dnsNames: [] });
      return;
    case "subject-several-cns":
      // Requested with the FQDN and another name as two CNs and no SubjectAltName.
      Object.assign(certificate, {
        subject: `CN=${context.otherHostName(host)}, CN=${host.fqdn}`,
        dnsNames: [],
      });
      return;
    case "eku-server-only":
      certificate.ekus = [EKU_SERVER_AUTH];
      draft.load = 20050;
      return;
    case "key-usage-signature-only":
      certificate.keyUsage = KU.digitalSignature;
      draft.load = 20049;
      return;
    case "rsa-1024":
      certificate.key = "rsa1024";
      return;
    case "ecc-key":
      // ECC keys live in a CNG KSP, which reports KeySpec 0; SCOM loads neither.
      certificate.key = "ec";
      Object.assign(draft.facts, { keyProvider: SOFTWARE_KSP, keyProviderType: "KSP", keySpec: 0 });
      draft.load = null;
      return;
    case "sha1":
      certificate.signatureHash = "SHA-1";
      return;
    case "not-yet-valid": {
      // The CA's clock ran ahead: issued "in the future".
      const notBefore = new Date(now.getTime() + random.int(2, 5) * DAY);
      const lifetime = certificate.notAfter.getTime() - certificate.notBefore.getTime();
      Object.assign(certificate, { notBefore, notAfter: new Date(notBefore.getTime() + lifetime) });
      draft.load = 20051;
      return;
    }
    case "ksp":
      Object.assign(draft.facts, { keyProvider: SOFTWARE_KSP, keyProviderType: "KSP", keySpec: 0 });
      draft.load = null;
      return;
    case "ksp-untyped":
      // An older collector that names the provider but cannot classify it.
      Object.assign(draft.facts, { keyProvider: SOFTWARE_KSP, keyProviderType: null, keySpec: 0 });
      draft.load = null;
      return;
    case "csp-typed-ksp":
      // The key is in a legacy CSP; the collector misclassified it.
      Object.assign(draft.facts, { keyProvider: ENHANCED_RSA_AES_CSP, keyProviderType: "KSP" });
      return;
    case "no-private-key":
      Object.assign(draft.facts, {
        hasPrivateKey: false,
        keyProvider: null,
        keyProviderType: null,
        keySpec: null,
        keyExportable: null,
        machineKeySet: null,
      });
      draft.load = 20077;
      return;
    case "user-key-set":
      draft.facts.machineKeySet = false;
      draft.load = 20068;
      return;
    case "wrong-store":
      draft.facts.store = "CurrentUser\\My";
      draft.load = 20066;
      return;
    case "not-exportable":
      draft.facts.keyExportable = false;
      return;
    case "keyspec-signature":
      draft.facts.keySpec = 2;
      draft.load = 20069;
      return;
    case "keyspec-unreported":
      draft.facts.keySpec = null;
      return;
    case "untrusted-ca":
      // A lab CA's certificate: no Enterprise template, and a root the host does not trust.
      Object.assign(certificate, { issuer: "foreign", template: false });
      Object.assign(draft.facts, { hostChainValid: false, hostChainStatus: ["UntrustedRoot"] });
      return;
    case "revocation-offline":
      Object.assign(draft.facts, {
        hostChainValid: false,
        hostChainStatus: ["RevocationStatusUnknown", "OfflineRevocation"],
      });
      return;
    case "never-imported":
      // MOMCertImport never ran: neither registry value exists.
      draft.registry = "none";
      draft.hash = "none";
      draft.load = null;
      // With certificate authentication, the Health Service logs "no certificate specified" (21022).
      draft.after = [21022];
      return;
    case "stale-registry":
      draft.registry = "previous";
      draft.load = 20066;
      return;
    case "missing-sign-byte":
      draft.signByte = true;
      draft.registry = "no-sign-byte";
      return;
    case "hash-mismatch":
      draft.previousInStore = true;
      draft.hash = "previous";
      return;
    case "channel-rejected":
      draft.after = [20070];
      return;
    case "registry-certificate-unusable":
      // The registry names a certificate the Health Service cannot authenticate with (21036), after an
      // earlier good load: the failure is the newest load event and supersedes that 20053.
      draft.load = 21036;
      return;
    case "mutual-auth-failed":
      // Loaded fine, then no mutually authenticated connection to its management server (21007).
      draft.after = [21007];
      return;
    case "load-unconfirmed":
      draft.registryWrittenAfterLoad = true;
      return;
    case "long-lifetime": {
      // 4,200 days: more than half the demo CA's twenty-year life (seed: at most one-half the CA's life).
      const notBefore = new Date(now.getTime() - random.int(30, 300) * DAY);
      Object.assign(certificate, { notBefore, notAfter: new Date(notBefore.getTime() + 4200 * DAY) });
      draft.caInStore = true;
      return;
    }
    case "uses-kerberos":
      // A domain agent whose management server trusts its domain: Kerberos, no certificate configured.
      draft.noCertificate = true;
      return;
    case "cloned":
      // Bound to another host's certificate (bindTo); SCOM on the clone sees a subject that is not its own.
      draft.load = 20052;
      return;
    case "clone-source":
      // Healthy itself: its certificate is copied onto the clone (plan.ts reports it again after the clone).
      return;
  }
}
