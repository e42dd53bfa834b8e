import { type Static, Type } from "typebox";
import { ExpiryFilterSchema, HostFilterSchema, ReportingStateSchema } from "./estate";
import { HostRoleSchema } from "./report";
import { HostStatusSchema, SeveritySchema } from "./results";
import { DateTime, Nullable } from "./schema-helpers";
import { TaskStatusSchema } from "./tasks";

/**
 * One host as it stood when a compliance report was taken. Stored as is (ComplianceReportRow.data)
 * and hashed in canonical JSON, so every field here is part of what the report proves.
 */
export const ComplianceRowSchema = Type.Object({
  fqdn: Type.String(),
  role: HostRoleSchema,
  /** Null: the host belongs to no management group. */
  managementGroup: Nullable(Type.String()),
  /** Null: listed in an inventory import but never reported. */
  status: Nullable(HostStatusSchema),
  reporting: ReportingStateSchema,
  lastReportAt: Nullable(DateTime()),
  certificate: Nullable(
    Type.Object({
      serialNumber: Type.String(),
      sha256: Type.String(),
      notAfter: DateTime(),
      daysLeft: Type.Integer(),
    }),
  ),
  expiry: ExpiryFilterSchema,
  /** Sorted: errors first, then warnings, then infos; by rule id within a severity. */
  findings: Type.Array(
    Type.Object({ ruleId: Type.String(), severity: SeveritySchema, message: Type.String() }),
  ),
  /** The host's open renewal task, if any. */
  task: Nullable(
    Type.Object({ status: TaskStatusSchema, assignee: Nullable(Type.String()), dueAt: DateTime() }),
  ),
});
export type ComplianceRow = Static<typeof ComplianceRowSchema>;

const CountsSchema = Type.Record(Type.String(), Type.Integer());

/**
 * Host counts computed from the rows. Keys: byStatus ok|warning|error|none (never reported);
 * byManagementGroup "" for hosts without a group; byExpiry the expiry buckets.
 */
export const ComplianceTotalsSchema = Type.Object({
  byStatus: CountsSchema,
  byRole: CountsSchema,
  byManagementGroup: CountsSchema,
  byExpiry: CountsSchema,
});
export type ComplianceTotals = Static<typeof ComplianceTotalsSchema>;

/** The part of a report that is hashed together with its rows. */
export const ComplianceHeaderSchema = Type.Object({
  title: Type.String(),
  takenAt: DateTime(),
  filter: HostFilterSchema,
  hostCount: Type.Integer(),
  totals: ComplianceTotalsSchema,
});
export type ComplianceHeader = Static<typeof ComplianceHeaderSchema>;

export const ComplianceReportSchema = Type.Object({
  id: Type.Integer(),
  ...ComplianceHeaderSchema.properties,
  contentSha256: Type.String({
    description: "SHA-256 (hex) of the canonical content: the body of the .json download",
  }),
  /** E-mail of the person who took it; null for a scheduled report. */
  createdBy: Nullable(Type.String()),
  schedule: Nullable(Type.Object({ id: Type.Integer(), name: Nullable(Type.String()) })),
  createdAt: DateTime(),
  downloads: Type.Object({ pdf: Type.String(), csv: Type.String(), json: Type.String() }),
});
export type ComplianceReport = Static<typeof ComplianceReportSchema>;

export const ComplianceReportPageSchema = Type.Object({
  items: Type.Array(ComplianceReportSchema),
  nextCursor: Nullable(Type.String()),
});
export type ComplianceReportPage = Static<typeof ComplianceReportPageSchema>;

export const ComplianceReportListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(
      Type.String({ pattern: "^[1-9][0-9]{0,9}$", description: "nextCursor of the previous page" }),
    ),
  },
  { additionalProperties: false },
);
export type ComplianceReportListQuery = Static<typeof ComplianceReportListQuerySchema>;

export const ComplianceReportCreateSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    filter: Type.Optional(HostFilterSchema),
  },
  { additionalProperties: false },
);
export type ComplianceReportCreate = Static<typeof ComplianceReportCreateSchema>;

export const ComplianceReportIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const ComplianceDownloadParamsSchema = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  format: Type.Enum(["json", "csv", "pdf"]),
});
export type ComplianceDownloadFormat = Static<typeof ComplianceDownloadParamsSchema>["format"];
export const ComplianceDiffParamsSchema = Type.Object({
  from: Type.Integer({ minimum: 1 }),
  to: Type.Integer({ minimum: 1 }),
});

export const ComplianceVerificationSchema = Type.Object({
  storedSha256: Type.String(),
  computedSha256: Type.String(),
  auditedSha256: Nullable(
    Type.String({
      description:
        "The hash recorded in the audit entry written when the report was taken (append-only, so an edit of the report row's own hash shows); null when no such entry exists",
    }),
  ),
  intact: Type.Boolean({
    description:
      "The rows as stored hash to the report's recorded hash and to the audited one, with no row missing",
  }),
  rowCount: Type.Integer({ description: "Rows read back; differs from hostCount when rows were removed" }),
});
export type ComplianceVerification = Static<typeof ComplianceVerificationSchema>;

/** What a comparison looks at for one host in one report. */
export const ComplianceHostStateSchema = Type.Object({
  status: Nullable(HostStatusSchema),
  errors: Type.Integer(),
  warnings: Type.Integer(),
  expiry: ExpiryFilterSchema,
});
export type ComplianceHostState = Static<typeof ComplianceHostStateSchema>;

export const ComplianceDiffEntrySchema = Type.Object({
  fqdn: Type.String(),
  from: Nullable(ComplianceHostStateSchema),
  to: Nullable(ComplianceHostStateSchema),
});
export type ComplianceDiffEntry = Static<typeof ComplianceDiffEntrySchema>;

export const ComplianceDiffSchema = Type.Object({
  from: Type.Object({ id: Type.Integer(), title: Type.String(), takenAt: DateTime() }),
  to: Type.Object({ id: Type.Integer(), title: Type.String(), takenAt: DateTime() }),
  counts: Type.Object({
    better: Type.Integer(),
    worse: Type.Integer(),
    new: Type.Integer(),
    gone: Type.Integer(),
    unchanged: Type.Integer(),
  }),
  better: Type.Array(ComplianceDiffEntrySchema),
  worse: Type.Array(ComplianceDiffEntrySchema),
  new: Type.Array(ComplianceDiffEntrySchema),
  gone: Type.Array(ComplianceDiffEntrySchema),
  /** Hosts in both reports that neither got better nor worse. */
  unchanged: Type.Integer(),
  /** Each list holds at most this many hosts (counts are always complete). */
  listLimit: Type.Integer(),
});
export type ComplianceDiff = Static<typeof ComplianceDiffSchema>;

export const ReportScheduleSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  filter: HostFilterSchema,
  enabled: Type.Boolean(),
  createdBy: Nullable(Type.String()),
  lastRunAt: Nullable(DateTime()),
  createdAt: DateTime(),
  updatedAt: DateTime(),
});
export type ReportSchedule = Static<typeof ReportScheduleSchema>;

export const ReportScheduleListSchema = Type.Object({ items: Type.Array(ReportScheduleSchema) });
export type ReportScheduleList = Static<typeof ReportScheduleListSchema>;

const scheduleFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  cron: Type.String({
    minLength: 9,
    maxLength: 120,
    description: "Five fields: minute hour day-of-month month day-of-week, e.g. `0 7 * * 1` (Mondays 07:00)",
  }),
  timezone: Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone, e.g. Europe/Berlin" }),
  filter: HostFilterSchema,
  enabled: Type.Boolean(),
};

export const ReportScheduleCreateSchema = Type.Object(
  {
    name: scheduleFields.name,
    cron: scheduleFields.cron,
    timezone: scheduleFields.timezone,
    filter: Type.Optional(scheduleFields.filter),
    enabled: Type.Optional(scheduleFields.enabled),
  },
  { additionalProperties: false },
);
export type ReportScheduleCreate = Static<typeof ReportScheduleCreateSchema>;

export const ReportScheduleUpdateSchema = Type.Object(
  {
    name: Type.Optional(scheduleFields.name),
    cron: Type.Optional(scheduleFields.cron),
    timezone: Type.Optional(scheduleFields.timezone),
    filter: Type.Optional(scheduleFields.filter),
    enabled: Type.Optional(scheduleFields.enabled),
  },
  { additionalProperties: false },
);
export type ReportScheduleUpdate = Static<typeof ReportScheduleUpdateSchema>;

export const ReportScheduleIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
