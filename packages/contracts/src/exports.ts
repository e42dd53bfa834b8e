import { type Static, Type } from "typebox";
import { ExpiryFilterSchema, HostFilterSchema, HostListQuerySchema, ReportingStateSchema } from "./estate";
import { HostRoleSchema } from "./report";
import { HostStatusSchema } from "./results";
import { Nullable } from "./schema-helpers";
import { TaskStatusSchema } from "./tasks";

export const HOST_EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type HostExportFormat = (typeof HOST_EXPORT_FORMATS)[number];

/**
 * GET /api/v1/hosts/export.{csv,xlsx}: the host list's own filter and sort, without paging, so an
 * export holds exactly the rows the list shows, in the same order.
 */
export const HostExportQuerySchema = Type.Object(
  {
    ...HostFilterSchema.properties,
    sort: HostListQuerySchema.properties.sort,
    order: HostListQuerySchema.properties.order,
  },
  { additionalProperties: false },
);
export type HostExportQuery = Static<typeof HostExportQuerySchema>;

/**
 * Response header with the number of rows the export will stream, sent before the first row so a
 * client can show progress. It is the host list's `total` for the same filter.
 */
export const EXPORT_TOTAL_HEADER = "x-total-count";

/** One exported host: a column per property, in this order. */
export const HostExportRowSchema = Type.Object({
  fqdn: Type.String(),
  role: HostRoleSchema,
  managementGroup: Nullable(Type.String()),
  status: Nullable(HostStatusSchema),
  reporting: ReportingStateSchema,
  lastReportAt: Nullable(Type.String({ format: "date-time" })),
  serialNumber: Nullable(Type.String({ description: "Serial of the bound certificate" })),
  thumbprint: Nullable(Type.String({ description: "SHA-1 of the bound certificate (Windows' thumbprint)" })),
  sha256: Nullable(Type.String()),
  notAfter: Nullable(Type.String({ format: "date-time" })),
  daysLeft: Nullable(Type.Integer()),
  expiry: ExpiryFilterSchema,
  errorRules: Type.Array(Type.String(), { description: "Rule ids of the host's error findings" }),
  warningRules: Type.Array(Type.String(), { description: "Rule ids of the host's warning findings" }),
  /** The host's renewal task that is not done or cancelled (a host has at most one). */
  openTaskStatus: Nullable(TaskStatusSchema),
});
export type HostExportRow = Static<typeof HostExportRowSchema>;

/** Column headers of both formats, keyed by row property (the order is the file's column order). */
export const HOST_EXPORT_HEADERS: Readonly<Record<keyof HostExportRow, string>> = {
  fqdn: "FQDN",
  role: "Role",
  managementGroup: "Management group",
  status: "Status",
  reporting: "Reporting",
  lastReportAt: "Last report",
  serialNumber: "Certificate serial",
  thumbprint: "Thumbprint",
  sha256: "SHA-256",
  notAfter: "Not after",
  daysLeft: "Days left",
  expiry: "Expiry bucket",
  errorRules: "Error rules",
  warningRules: "Warning rules",
  openTaskStatus: "Open task",
};
