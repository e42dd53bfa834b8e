import { type Static, Type } from "typebox";
import { AUTHENTICATION_FILTER_VALUES, CertificateAuthenticationSchema } from "./certificate-auth";
import { HostRoleSchema, KeyProviderTypeSchema } from "./report";
import { FindingSchema, HostStatusSchema, SeveritySchema } from "./results";
import { commaList, Nullable } from "./schema-helpers";

/** Expiry buckets, each host in exactly one: expired, ≤7, ≤30, ≤60, ≤90, >90 days left, no certificate. */
export const EXPIRY_FILTER_VALUES = ["expired", "d7", "d30", "d60", "d90", "later", "none"] as const;
export const ExpiryFilterSchema = Type.Enum([...EXPIRY_FILTER_VALUES]);
export type ExpiryFilter = Static<typeof ExpiryFilterSchema>;

/** reporting: reported within CERTFLEET_SILENT_AFTER_HOURS; silent: not since; never: listed, never reported. */
export const ReportingStateSchema = Type.Enum(["reporting", "silent", "never"]);
export type ReportingState = Static<typeof ReportingStateSchema>;

export const HOST_SORTS = ["expiry", "fqdn", "status", "lastReport"] as const;

/**
 * The host list's filter vocabulary. The summary's numbers link to the list with exactly these
 * parameters, so a number and the list it opens always agree.
 */
export const HostFilterSchema = Type.Object(
  {
    status: Type.Optional(commaList(["ok", "warning", "error"], "Comma-separated host statuses")),
    role: Type.Optional(commaList(["ManagementServer", "Gateway", "Agent"], "Comma-separated roles")),
    managementGroup: Type.Optional(
      Type.String({ maxLength: 128, description: "Management group name; empty for hosts without one" }),
    ),
    rule: Type.Optional(
      Type.String({ pattern: "^[a-z0-9-]{1,64}$", description: "Hosts with a finding of this rule id" }),
    ),
    findingSeverity: Type.Optional(
      commaList(
        ["error", "warning", "info"],
        "With `rule`: only findings of these severities (default: any)",
      ),
    ),
    expiry: Type.Optional(
      commaList([...EXPIRY_FILTER_VALUES], "Comma-separated expiry buckets of the bound certificate"),
    ),
    expiresWithinDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3650,
        description: "Bound certificate not expired and at most N whole days left",
      }),
    ),
    reporting: Type.Optional(commaList(["reporting", "silent", "never"], "Comma-separated reporting states")),
    retired: Type.Optional(
      Type.Enum(["true", "false"], {
        description:
          "true: only hosts an inventory import retired (gone from SCOM); default false: only live hosts",
      }),
    ),
    authentication: Type.Optional(
      commaList(
        [...AUTHENTICATION_FILTER_VALUES],
        "kerberos: hosts whose newest report shows Kerberos (no certificate required, none configured); certificate: the others",
      ),
    ),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 253, description: "Case-insensitive substring of the FQDN" }),
    ),
    expected: Type.Optional(
      Type.Enum(["true", "false"], {
        description:
          "true: hosts an inventory lists (and that no newer import retired), the overview's coverage; false: the others",
      }),
    ),
  },
  { additionalProperties: false },
);
export type HostFilter = Static<typeof HostFilterSchema>;

export const HostListQuerySchema = Type.Object(
  {
    ...HostFilterSchema.properties,
    sort: Type.Optional(Type.Enum([...HOST_SORTS], { description: "Default: expiry" })),
    order: Type.Optional(
      Type.Enum(["asc", "desc"], {
        description:
          "Default per sort: expiry asc, fqdn asc, status desc (worst first), lastReport asc (stalest first)",
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1024, description: "nextCursor of the previous page" })),
  },
  { additionalProperties: false },
);
export type HostListQuery = Static<typeof HostListQuerySchema>;

export const BoundCertificateSummarySchema = Type.Object({
  sha256: Type.String(),
  serialNumber: Type.String(),
  notAfter: Type.String({ format: "date-time" }),
  daysLeft: Type.Integer(),
});

export const HostListItemSchema = Type.Object({
  id: Type.Integer(),
  fqdn: Type.String(),
  role: HostRoleSchema,
  managementGroup: Nullable(Type.String()),
  status: Nullable(HostStatusSchema),
  reporting: ReportingStateSchema,
  expected: Type.Boolean(),
  lastReportAt: Nullable(Type.String({ format: "date-time" })),
  /** Certificate authentication required, decided now (core certificateAuthRequirement). */
  certificateAuthRequired: Type.Boolean(),
  /** The newest report shows Kerberos (no certificate required, none configured). */
  usesKerberos: Type.Boolean(),
  expiry: ExpiryFilterSchema,
  boundCertificate: Nullable(BoundCertificateSummarySchema),
  findingCounts: Type.Object({ error: Type.Integer(), warning: Type.Integer(), info: Type.Integer() }),
  worstFinding: Nullable(
    Type.Object({ ruleId: Type.String(), severity: SeveritySchema, message: Type.String() }),
  ),
});
export type HostListItem = Static<typeof HostListItemSchema>;

export const HostPageSchema = Type.Object({
  items: Type.Array(HostListItemSchema),
  total: Type.Integer({
    description:
      "Hosts matching the filter, counted when the first page was read (later pages carry it in the cursor)",
  }),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: Nullable(Type.String()),
});
export type HostPage = Static<typeof HostPageSchema>;

/** One number on the overview, with the host-list query string that reproduces it. */
export const CountSchema = Type.Object({
  key: Nullable(Type.String()),
  count: Type.Integer(),
  query: Type.String({ description: "Query string for GET /api/v1/hosts listing exactly these hosts" }),
});
export type Count = Static<typeof CountSchema>;

/**
 * Inventory coverage: of the hosts an inventory lists (and no newer import retired), how many report.
 * expected = reporting + silent + neverReported. Retired hosts are counted apart.
 */
export const CoverageSchema = Type.Object({
  expected: CountSchema,
  reporting: CountSchema,
  silent: CountSchema,
  neverReported: CountSchema,
  /** Hosts a newer inventory import no longer lists (Host.retiredAt set). */
  retired: CountSchema,
  byManagementGroup: Type.Array(
    Type.Object({
      /** null: expected hosts without a management group. */
      managementGroup: Nullable(Type.String()),
      expected: CountSchema,
      reporting: CountSchema,
      silent: CountSchema,
      neverReported: CountSchema,
    }),
  ),
});
export type Coverage = Static<typeof CoverageSchema>;

export const SummarySchema = Type.Object({
  generatedAt: Type.String({ format: "date-time" }),
  silentAfterHours: Type.Integer(),
  total: CountSchema,
  byStatus: Type.Array(CountSchema),
  byRole: Type.Array(CountSchema),
  byManagementGroup: Type.Array(CountSchema),
  expiry: Type.Array(CountSchema),
  reporting: Type.Array(CountSchema),
  /** Hosts that use Kerberos (no channel certificate required or configured), counted apart. */
  usesKerberos: CountSchema,
  topFailingRules: Type.Array(Type.Object({ ...CountSchema.properties, title: Type.String() })),
  coverage: CoverageSchema,
});
export type Summary = Static<typeof SummarySchema>;

export const CertificateSummarySchema = Type.Object({
  sha256: Type.String(),
  thumbprint: Type.String(),
  serialNumber: Type.String(),
  subject: Type.String(),
  issuer: Type.String(),
  dnsNames: Type.Array(Type.String()),
  notBefore: Type.String({ format: "date-time" }),
  notAfter: Type.String({ format: "date-time" }),
  daysLeft: Type.Integer(),
  expiry: ExpiryFilterSchema,
  publicKeyAlgorithm: Type.String(),
  publicKeySize: Nullable(Type.Integer()),
  signatureAlgorithm: Type.String(),
  templateName: Nullable(Type.String()),
  templateOid: Nullable(Type.String()),
});
export type CertificateSummary = Static<typeof CertificateSummarySchema>;

export const HostCertificateFactsSchema = Type.Object({
  hasPrivateKey: Type.Boolean(),
  keyProvider: Type.Optional(Nullable(Type.String())),
  keyProviderType: Type.Optional(Nullable(KeyProviderTypeSchema)),
  keySpec: Type.Optional(Nullable(Type.Integer())),
  keyExportable: Type.Optional(Nullable(Type.Boolean())),
  hostChainValid: Type.Optional(Nullable(Type.Boolean())),
  hostChainStatus: Type.Optional(Type.Array(Type.String())),
  store: Type.Optional(Nullable(Type.String())),
  machineKeySet: Type.Optional(Nullable(Type.Boolean())),
});

export const HostDetailSchema = Type.Object({
  host: Type.Object({
    id: Type.Integer(),
    fqdn: Type.String(),
    role: HostRoleSchema,
    managementGroup: Nullable(Type.String()),
    domainJoined: Type.Boolean(),
    primaryServer: Nullable(Type.String()),
    expected: Type.Boolean(),
    status: Nullable(HostStatusSchema),
    reporting: ReportingStateSchema,
    lastReportAt: Nullable(Type.String({ format: "date-time" })),
    lastReceivedAt: Nullable(Type.String({ format: "date-time" })),
    certificateAuthentication: CertificateAuthenticationSchema,
  }),
  findings: Type.Array(FindingSchema),
  registry: Type.Object({
    /** ChannelCertificateSerialNumber as the host stores it (byte-reversed by MOMCertImport). */
    serialAsStored: Nullable(Type.String()),
    /** The same bytes un-mirrored: the serial the certificate carries. */
    serialAsCertificate: Nullable(Type.String()),
    hash: Nullable(Type.String()),
  }),
  boundCertificate: Nullable(CertificateSummarySchema),
  storeCertificates: Type.Array(
    Type.Object({
      certificate: CertificateSummarySchema,
      bound: Type.Boolean(),
      /** What the host said about this certificate in its newest report; null if it was not in it. */
      facts: Nullable(HostCertificateFactsSchema),
      firstSeenAt: Type.String({ format: "date-time" }),
      lastSeenAt: Type.String({ format: "date-time" }),
    }),
  ),
  events: Type.Array(
    Type.Object({
      id: Type.Integer(),
      time: Type.String({ format: "date-time" }),
      message: Type.Optional(Nullable(Type.String())),
    }),
  ),
  serialHistory: Type.Array(
    Type.Object({
      certificateSha256: Nullable(Type.String()),
      serialNumber: Nullable(Type.String()),
      notAfter: Nullable(Type.String({ format: "date-time" })),
      registrySerial: Nullable(Type.String()),
      firstSeenAt: Type.String({ format: "date-time" }),
      lastSeenAt: Type.String({ format: "date-time" }),
    }),
  ),
  reports: Type.Array(
    Type.Object({
      id: Type.String(),
      collectedAt: Type.String({ format: "date-time" }),
      receivedAt: Type.String({ format: "date-time" }),
      status: HostStatusSchema,
      boundCertificateSha256: Nullable(Type.String()),
    }),
  ),
});
export type HostDetail = Static<typeof HostDetailSchema>;

export const CertificateDetailSchema = Type.Object({
  certificate: Type.Object({
    ...CertificateSummarySchema.properties,
    subjectCommonName: Nullable(Type.String()),
    extendedKeyUsages: Nullable(Type.Array(Type.String())),
    keyUsage: Nullable(Type.Integer()),
    signatureHash: Nullable(Type.String()),
    isCa: Type.Boolean(),
    templateMajorVersion: Nullable(Type.Integer()),
    templateMinorVersion: Nullable(Type.Integer()),
  }),
  hosts: Type.Array(
    Type.Object({
      fqdn: Type.String(),
      role: HostRoleSchema,
      status: Nullable(HostStatusSchema),
      bound: Type.Boolean(),
      firstSeenAt: Type.String({ format: "date-time" }),
      lastSeenAt: Type.String({ format: "date-time" }),
    }),
  ),
  downloads: Type.Object({ pem: Type.String(), der: Type.String() }),
});
export type CertificateDetail = Static<typeof CertificateDetailSchema>;

export const RuleCatalogSchema = Type.Object({
  rules: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      defaultSeverity: SeveritySchema,
      scomNeeds: Type.String(),
      remediation: Type.String(),
      seedReference: Nullable(Type.String()),
      hosts: CountSchema,
    }),
  ),
});
export type RuleCatalog = Static<typeof RuleCatalogSchema>;

export const FqdnParamsSchema = Type.Object({ fqdn: Type.String({ minLength: 1, maxLength: 253 }) });
export const Sha256ParamsSchema = Type.Object({ sha256: Type.String({ pattern: "^[0-9a-fA-F]{64}$" }) });
