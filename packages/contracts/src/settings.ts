import { type Static, Type } from "typebox";
import { DateTime, Nullable } from "./schema-helpers";

/** Settings an admin changes at runtime (stored in Postgres, audited); the rest are environment variables. */
export const SettingsSchema = Type.Object({
  renewalDueDaysBeforeExpiry: Type.Integer({
    minimum: 1,
    maximum: 90,
    description:
      "A new renewal task is due this many days before the certificate expires (never sooner than 2 days)",
  }),
  /** Read-only here: CERTFLEET_EXPIRY_WARNING_DAYS, shown so admins see both numbers together. */
  expiryWarningDays: Type.Integer({
    description: "Days before expiry a certificate turns warning (environment)",
  }),
  updatedAt: Nullable(DateTime("When an admin last changed a setting")),
});
export type Settings = Static<typeof SettingsSchema>;

export const SettingsUpdateSchema = Type.Object(
  { renewalDueDaysBeforeExpiry: SettingsSchema.properties.renewalDueDaysBeforeExpiry },
  { additionalProperties: false },
);
export type SettingsUpdate = Static<typeof SettingsUpdateSchema>;
