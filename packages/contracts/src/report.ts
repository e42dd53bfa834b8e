import { type Static, Type } from "typebox";

/** SCOM roles a channel certificate can serve. */
export const HostRoleSchema = Type.Enum(["ManagementServer", "Gateway", "Agent"], {
  description: "The SCOM role of the host",
});
export type HostRole = Static<typeof HostRoleSchema>;

const hexString = (description: string) =>
  Type.String({ pattern: "^(0[xX])?[0-9A-Fa-f\\s:-]*$", maxLength: 256, description });

export const FQDN_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$";

export const ReportManagementGroupSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    primaryServer: Type.Optional(
      Type.Union([
        Type.String({
          minLength: 1,
          maxLength: 253,
          description: "The server this host reports to in that group",
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type ReportManagementGroup = Static<typeof ReportManagementGroupSchema>;

export const ReportHostSchema = Type.Object(
  {
    fqdn: Type.String({
      minLength: 1,
      maxLength: 253,
      pattern: FQDN_PATTERN,
      description: "Fully qualified domain name; compared case-insensitively and stored in lower case",
    }),
    role: HostRoleSchema,
    managementGroup: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
    domainJoined: Type.Boolean(),
    primaryServer: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 253 }), Type.Null()])),
    dnsHostName: Type.Optional(
      Type.Union([
        Type.String({
          minLength: 1,
          maxLength: 253,
          pattern: FQDN_PATTERN,
          description:
            "Contract 1.1: the computer's own DNS host name (Win32_ComputerSystem DNSHostName.Domain); a single-label name for a workgroup host",
        }),
        Type.Null(),
      ]),
    ),
    managementGroups: Type.Optional(
      Type.Array(ReportManagementGroupSchema, {
        maxItems: 16,
        description:
          "Contract 1.1: every management group the host belongs to (an agent can be multi-homed), each with its primary server",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReportRegistrySchema = Type.Object(
  {
    channelCertificateSerialNumber: Type.Union([
      hexString(
        "Hex of the REG_BINARY ChannelCertificateSerialNumber exactly as stored (byte-reversed by MOMCertImport)",
      ),
      Type.Null(),
    ]),
    channelCertificateHash: Type.Optional(
      Type.Union([
        hexString("ChannelCertificateHash (the thumbprint), written by newer agents"),
        Type.Null(),
      ]),
    ),
    lastWriteTime: Type.Optional(
      Type.Union([
        Type.String({
          format: "date-time",
          maxLength: 64,
          description:
            "Contract 1.1: last write time of the Machine Settings key (RegQueryInfoKey), so a load event older than the binding says nothing about it",
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const KeyProviderTypeSchema = Type.Enum(["CSP", "KSP"]);

export const CandidateCertificateSchema = Type.Object(
  {
    der: Type.String({
      minLength: 1,
      maxLength: 65536,
      description: "Base64 DER of the certificate, public part only. Private keys are refused.",
    }),
    hasPrivateKey: Type.Boolean(),
    keyProvider: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
    keyProviderType: Type.Optional(Type.Union([KeyProviderTypeSchema, Type.Null()])),
    keySpec: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 2 }), Type.Null()])),
    keyExportable: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    hostChainValid: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    hostChainStatus: Type.Optional(Type.Array(Type.String({ maxLength: 512 }), { maxItems: 32 })),
    store: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
    machineKeySet: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CandidateCertificate = Static<typeof CandidateCertificateSchema>;
/** What the host says about a certificate, apart from the certificate itself. */
export type CandidateCertificateFacts = Omit<CandidateCertificate, "der">;

export const ConnectorEventSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 0, maximum: 65535 }),
    time: Type.String({ format: "date-time", maxLength: 64 }),
    message: Type.Optional(Type.Union([Type.String({ maxLength: 8192 }), Type.Null()])),
    recordId: Type.Optional(
      Type.Union([
        Type.Integer({
          minimum: 0,
          maximum: Number.MAX_SAFE_INTEGER,
          description:
            "Contract 1.1: the event's record id in its log; breaks ties between events of the same second",
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type ConnectorEvent = Static<typeof ConnectorEventSchema>;

/** A certificate the host trusts (LocalMachine\\Root or \\CA), named, not sent whole. */
export const TrustedCertificateSchema = Type.Object(
  {
    thumbprint: Type.String({
      pattern: "^[0-9A-Fa-f]{40}$",
      description: "SHA-1 of the DER, as Windows shows it",
    }),
    subject: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type TrustedCertificate = Static<typeof TrustedCertificateSchema>;

export const TrustedCertificatesSchema = Type.Object(
  {
    roots: Type.Array(TrustedCertificateSchema, {
      maxItems: 1024,
      description: "LocalMachine\\Root (Trusted Root Certification Authorities)",
    }),
    intermediates: Type.Array(TrustedCertificateSchema, {
      maxItems: 1024,
      description: "LocalMachine\\CA (Intermediate Certification Authorities)",
    }),
  },
  { additionalProperties: false },
);
export type TrustedCertificates = Static<typeof TrustedCertificatesSchema>;

/** A certificate request waiting in LocalMachine\\REQUEST (CertReq -New made it; the CA has not answered or it was not accepted). */
export const PendingRequestSchema = Type.Object(
  {
    thumbprint: Type.String({ pattern: "^[0-9A-Fa-f]{40}$" }),
    subject: Type.String({ maxLength: 1024 }),
    createdAt: Type.Optional(Type.Union([Type.String({ format: "date-time", maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type PendingRequest = Static<typeof PendingRequestSchema>;

/** Collector report, contract 1 or 1.1 (docs/collector-contract.md). */
export const ReportSchema = Type.Object(
  {
    schemaVersion: Type.Union([Type.Literal(1), Type.Literal("1.1")], {
      description: 'Report contract version: 1, or "1.1" (adds optional fields only)',
    }),
    collectedAt: Type.String({
      format: "date-time",
      maxLength: 64,
      description: "When the collector read the host (RFC 3339); at most 5 minutes ahead of the server clock",
    }),
    host: ReportHostSchema,
    registry: ReportRegistrySchema,
    certificates: Type.Array(CandidateCertificateSchema, { maxItems: 64 }),
    events: Type.Array(ConnectorEventSchema, { maxItems: 1000 }),
    trustedCertificates: Type.Optional(TrustedCertificatesSchema),
    pendingRequests: Type.Optional(
      Type.Array(PendingRequestSchema, { maxItems: 64, description: "Contract 1.1: LocalMachine\\REQUEST" }),
    ),
  },
  { additionalProperties: false, $id: "Report" },
);
export type Report = Static<typeof ReportSchema>;

export const MAX_BATCH_REPORTS = 1000;

/**
 * Largest request body the API takes: a batch of reports (one report: 4 MiB). The web app's /api
 * proxy uses the same number, so no body it forwards is cut short on the way (apps/web/next.config.ts).
 */
export const REPORT_BATCH_BODY_LIMIT = 16 * 1024 * 1024;

export const ReportBatchSchema = Type.Object(
  {
    // Items are validated one by one in the handler so one bad report does not sink the batch.
    reports: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BATCH_REPORTS }),
  },
  { additionalProperties: false },
);
