import { type Static, Type } from "typebox";

/** SCOM roles a channel certificate can serve. */
export const HostRoleSchema = Type.Enum(["ManagementServer", "Gateway", "Agent"], {
  description: "The SCOM role of the host",
});
export type HostRole = Static<typeof HostRoleSchema>;

const hexString = (description: string) =>
  Type.String({ pattern: "^(0[xX])?[0-9A-Fa-f\\s:-]*$", maxLength: 256, description });

export const ReportHostSchema = Type.Object(
  {
    fqdn: Type.String({
      minLength: 1,
      maxLength: 253,
      pattern: "^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$",
      description: "Fully qualified domain name; compared case-insensitively and stored in lower case",
    }),
    role: HostRoleSchema,
    managementGroup: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
    domainJoined: Type.Boolean(),
    primaryServer: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 253 }), Type.Null()])),
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
  },
  { additionalProperties: false },
);
export type ConnectorEvent = Static<typeof ConnectorEventSchema>;

/** Collector report, schema version 1 (see ARCHITECTURE "Contracts worth fixing early"). */
export const ReportSchema = Type.Object(
  {
    schemaVersion: Type.Literal(1, { description: "Report contract version; only 1 exists" }),
    collectedAt: Type.String({
      format: "date-time",
      maxLength: 64,
      description: "When the collector read the host (RFC 3339); at most 5 minutes ahead of the server clock",
    }),
    host: ReportHostSchema,
    registry: ReportRegistrySchema,
    certificates: Type.Array(CandidateCertificateSchema, { maxItems: 64 }),
    events: Type.Array(ConnectorEventSchema, { maxItems: 1000 }),
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
