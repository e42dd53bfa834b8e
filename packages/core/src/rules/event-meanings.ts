/**
 * What the OpsMgr Connector events certfleet reads mean, in plain words, each with where the meaning comes
 * from (issue 13 asks that inferred meanings be told apart):
 * - "microsoft": Microsoft's own words: the MOMConnector event reference (HealthService event reference,
 *   "MOMConnector" section), the "Mutual Authentication in Operations Manager" article (21007), and the
 *   knowledge of the management pack's "failed to authenticate" alert (20002, 20072, 21003).
 * - "seed": the seed ("Import the certificate into Operations Manager", steps 9-10: 20053 and the ids that
 *   say the certificate did not load).
 * - "inferred": our reading of the event's own text and of troubleshooting articles, where no table says
 *   more; the finding means the same, the remediation is our advice.
 */
export type EventMeaningSource = "microsoft" | "seed" | "inferred";

export interface EventMeaning {
  meaning: string;
  remediation: string;
  source: EventMeaningSource;
}

/** 20053: "the authentication certificate was loaded successfully" (seed step 9). */
export const EVENT_CERTIFICATE_LOADED = 20053;
/** 21020: the loaded certificate is about to expire. */
export const EVENT_CERTIFICATE_EXPIRING = 21020;

const REIMPORT = "then run MOMCertImport again and confirm event 20053.";

/** Certificate-load failures: SCOM is not using a certificate (error). */
export const LOAD_FAILURES: Readonly<Record<number, EventMeaning>> = {
  20049: {
    meaning: "the certificate's key usage lacks Digital Signature and/or Key Encipherment",
    remediation: `Re-issue the certificate with KeyUsage Digital Signature and Key Encipherment (0xf0 in the .inf); ${REIMPORT}`,
    source: "seed",
  },
  20050: {
    meaning: "the certificate's Enhanced Key Usage lacks Server Authentication and/or Client Authentication",
    remediation: `Re-issue the certificate with both Server Authentication and Client Authentication EKUs; ${REIMPORT}`,
    source: "seed",
  },
  20051: {
    meaning: "the certificate is not currently valid (expired or not yet valid)",
    remediation: `Renew the certificate (or check the host clock if it is not yet valid); ${REIMPORT}`,
    source: "inferred",
  },
  20052: {
    meaning: "the certificate's subject does not match this computer's name",
    remediation: `Re-issue the certificate with CN (or first DNS SubjectAltName) = this host's FQDN; ${REIMPORT}`,
    source: "seed",
  },
  20066: {
    meaning:
      "the certificate named in the registry (ChannelCertificateSerialNumber) is not in the certificate store",
    remediation:
      "Put the certificate back into Local Computer > Personal, or run MOMCertImport and select the certificate that is there; confirm event 20053.",
    source: "seed",
  },
  20068: {
    meaning: "there is no usable private key for the certificate",
    remediation: `Restore the private key (certutil -repairstore my <serial number>) or re-import the PFX with its key; ${REIMPORT}`,
    source: "inferred",
  },
  20069: {
    meaning: "the certificate's key is not an exchange key (KeySpec is not AT_KEYEXCHANGE)",
    remediation: `Request a new certificate with KeySpec = 1 (key type Exchange); ${REIMPORT}`,
    source: "seed",
  },
  21021: {
    meaning: "no certificate could be loaded or created for authentication",
    remediation: `Check that the certificate ChannelCertificateSerialNumber names is in Local Computer > Personal with its private key; ${REIMPORT}`,
    source: "inferred",
  },
  21036: {
    meaning: "the certificate named in the registry cannot be used for authentication",
    remediation: `Check the certificate against SCOM's requirements (the other findings name what fails), or import one that meets them; ${REIMPORT}`,
    source: "inferred",
  },
  20077: {
    meaning: "the certificate's properties could not be read, usually because its private key is missing",
    remediation: `Check that the certificate has its private key in the machine key set (certutil -repairstore my <serial number>); ${REIMPORT}`,
    source: "seed",
  },
};

/** Channel problems that can follow a good load (warning): the certificate loaded, talking still failed. */
export const CHANNEL_PROBLEMS: Readonly<Record<number, EventMeaning>> = {
  20057: {
    meaning: "a security context (mutual authentication) with the other side could not be established",
    remediation:
      "Check that both ends use certificates from CAs the other side trusts, and the Kerberos/SPN setup where Kerberos applies.",
    source: "inferred",
  },
  20070: {
    meaning:
      "the connection was closed right after authentication, most often because this agent or gateway is not approved or not authorised for that server",
    remediation:
      "Approve the agent (Pending Management) or the gateway (Gateway Approval Tool), and check it reports to the intended server.",
    source: "inferred",
  },
  20071: {
    meaning:
      "authentication with the other side failed, on either end: blocked ports, name resolution (DNS), Kerberos, or certificate trust",
    remediation:
      "Check TCP 5723 both ways, that each side resolves the other's FQDN, and that each end trusts the CA of the other end's certificate (or Kerberos where it applies).",
    source: "inferred",
  },
  20072: {
    meaning: "the other side's certificate is not trusted",
    remediation:
      "Import the root (and intermediate) CA certificates of the other side's certificate into Trusted Root / Intermediate Certification Authorities on this host.",
    source: "microsoft",
  },
  20002: {
    meaning:
      "a device connected but could not be authenticated, and was rejected (often one still pending approval)",
    remediation:
      "Approve it in Administration > Pending Management if it should join, and check both ends use the same kind of authentication.",
    source: "microsoft",
  },
  21003: {
    meaning: "the root of the CA that issued the other side's certificate is not trusted here",
    remediation:
      "Import the issuing CA's root certificate into Local Computer > Trusted Root Certification Authorities (and its intermediates into Intermediate Certification Authorities).",
    source: "microsoft",
  },
  21007: {
    meaning:
      "a mutually authenticated connection could not be created, for example because the other side is not in a trusted domain",
    remediation:
      "Where Kerberos cannot work (no two-way trust, workgroup, DMZ), both ends need a channel certificate loaded (event 20053) from CAs the other trusts.",
    source: "microsoft",
  },
  21001: {
    meaning: "mutual authentication with the other side failed",
    remediation:
      "Check that both ends have a loaded channel certificate (event 20053) that chains to a root the other side trusts.",
    source: "inferred",
  },
  21002: {
    meaning: "mutual authentication with the other side failed",
    remediation:
      "Check that both ends have a loaded channel certificate (event 20053) that chains to a root the other side trusts.",
    source: "inferred",
  },
};

/** 21022: "no certificate specified": with certificate authentication, the registry names none. */
export const EVENT_NO_CERTIFICATE_SPECIFIED = 21022;
