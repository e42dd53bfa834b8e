/**
 * What the OpsMgr Connector events certfleet reads mean, in plain words. Sources: the seed ("Import the
 * certificate into Operations Manager", steps 9-10 list 20053 and the failure ids), ARCHITECTURE's
 * paraphrase of the MOMConnector event reference, and the OpsMgr mutual-authentication error list
 * (20070: connection closed right after authentication, most often an agent not yet approved or not
 * authorised for that server). Nothing here goes beyond those sources.
 */
export interface EventMeaning {
  meaning: string;
  remediation: string;
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
  },
  20050: {
    meaning: "the certificate's Enhanced Key Usage lacks Server Authentication and/or Client Authentication",
    remediation: `Re-issue the certificate with both Server Authentication and Client Authentication EKUs; ${REIMPORT}`,
  },
  20051: {
    meaning: "the certificate is not currently valid (expired or not yet valid)",
    remediation: `Renew the certificate (or check the host clock if it is not yet valid); ${REIMPORT}`,
  },
  20052: {
    meaning: "the certificate's subject does not match this computer's name",
    remediation: `Re-issue the certificate with CN (or first DNS SubjectAltName) = this host's FQDN; ${REIMPORT}`,
  },
  20066: {
    meaning:
      "the certificate named in the registry (ChannelCertificateSerialNumber) is not in the certificate store",
    remediation:
      "Put the certificate back into Local Computer > Personal, or run MOMCertImport and select the certificate that is there; confirm event 20053.",
  },
  20068: {
    meaning: "there is no usable private key for the certificate",
    remediation: `Restore the private key (certutil -repairstore my <serial number>) or re-import the PFX with its key; ${REIMPORT}`,
  },
  20069: {
    meaning: "the certificate's key is not an exchange key (KeySpec is not AT_KEYEXCHANGE)",
    remediation: `Request a new certificate with KeySpec = 1 (key type Exchange); ${REIMPORT}`,
  },
  20077: {
    meaning: "the certificate's properties could not be read, usually because its private key is missing",
    remediation: `Check that the certificate has its private key in the machine key set (certutil -repairstore my <serial number>); ${REIMPORT}`,
  },
};

/** Channel problems that can follow a good load (warning): the certificate loaded, talking still failed. */
export const CHANNEL_PROBLEMS: Readonly<Record<number, EventMeaning>> = {
  20057: {
    meaning: "a security context (mutual authentication) with the other side could not be established",
    remediation:
      "Check that both ends use certificates from CAs the other side trusts, and the Kerberos/SPN setup where Kerberos applies.",
  },
  20070: {
    meaning:
      "the connection was closed right after authentication, most often because this agent or gateway is not approved or not authorised for that server",
    remediation:
      "Approve the agent (Pending Management) or the gateway (Gateway Approval Tool), and check it reports to the intended server.",
  },
  20071: {
    meaning:
      "the connection was closed without authentication, often because this agent or gateway is not approved",
    remediation:
      "Approve the agent (Pending Management) or the gateway (Gateway Approval Tool), and check both ends use certificate authentication.",
  },
  20072: {
    meaning: "the other side's certificate is not trusted",
    remediation:
      "Import the root (and intermediate) CA certificates of the other side's certificate into Trusted Root / Intermediate Certification Authorities on this host.",
  },
  21001: {
    meaning: "mutual authentication with the other side failed",
    remediation:
      "Check that both ends have a loaded channel certificate (event 20053) that chains to a root the other side trusts.",
  },
  21002: {
    meaning: "mutual authentication with the other side failed",
    remediation:
      "Check that both ends have a loaded channel certificate (event 20053) that chains to a root the other side trusts.",
  },
};
