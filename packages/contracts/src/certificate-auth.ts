import { type Static, Type } from "typebox";
import { Nullable } from "./schema-helpers";

/**
 * Why certificate authentication is (not) required for a host (core certificateAuthRequirement):
 * gateway and workgroup always require it; else the host setting, the group setting, the role default.
 */
export const CertificateAuthReasonSchema = Type.Enum([
  "gateway",
  "workgroup",
  "host-setting",
  "group-setting",
  "default",
]);
export type CertificateAuthReasonValue = Static<typeof CertificateAuthReasonSchema>;

/** The host list's `authentication` filter: hosts using Kerberos, or the others (certificate hosts). */
export const AUTHENTICATION_FILTER_VALUES = ["kerberos", "certificate"] as const;

export const CertificateAuthenticationSchema = Type.Object({
  /** Decided now from role, domain membership and the settings below. */
  required: Type.Boolean(),
  reason: CertificateAuthReasonSchema,
  /** The per-host setting (admin or inventory); null: not set. */
  hostSetting: Nullable(Type.Boolean()),
  /** The management group's setting; null: not set or no group. */
  groupSetting: Nullable(Type.Boolean()),
  /**
   * From the newest report's evaluation: no certificate required and none configured. A setting
   * changed since then applies at the host's next report (until then this and `required` may disagree).
   */
  usesKerberos: Type.Boolean(),
});
export type CertificateAuthentication = Static<typeof CertificateAuthenticationSchema>;

/** PUT body for the per-host and per-group settings: true / false, or null to clear (inherit). */
export const CertificateAuthSettingUpdateSchema = Type.Object(
  {
    required: Nullable(
      Type.Boolean({
        description: "true: a certificate is required; false: Kerberos is expected; null: unset",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CertificateAuthSettingUpdate = Static<typeof CertificateAuthSettingUpdateSchema>;

export const ManagementGroupSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** null: not set, each host's role default applies. */
  certificateAuthRequired: Nullable(Type.Boolean()),
  hosts: Type.Integer(),
  usesKerberos: Type.Integer({ description: "Hosts of the group whose newest report shows Kerberos" }),
});
export type ManagementGroup = Static<typeof ManagementGroupSchema>;

export const ManagementGroupListSchema = Type.Object({ items: Type.Array(ManagementGroupSchema) });
export type ManagementGroupList = Static<typeof ManagementGroupListSchema>;

export const ManagementGroupIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
