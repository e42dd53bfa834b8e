import type { Settings, SettingsUpdate } from "@certfleet/contracts";
import { DEFAULT_RENEWAL_POLICY } from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";
import { type AuditActor, recordAudit } from "./audit";

/** The Setting row holding the renewal due-date lead time (a JSON number). */
export const RENEWAL_DUE_DAYS_KEY = "renewal.dueDaysBeforeExpiry";

/** A stored value, or the default when unset or not a whole number (never trust a JSON column blindly). */
export function dueDaysFrom(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 90
    ? value
    : DEFAULT_RENEWAL_POLICY.dueDaysBeforeExpiry;
}

export async function readSettings(db: Database, expiryWarningDays: number): Promise<Settings> {
  const row = await db.setting.findUnique({ where: { key: RENEWAL_DUE_DAYS_KEY } });
  return {
    renewalDueDaysBeforeExpiry: dueDaysFrom(row?.value),
    expiryWarningDays,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/**
 * Stores one setting and audits the change in the same transaction. The row is locked (or its gap,
 * when it does not exist yet) so two admins saving at once leave a true before/after trail.
 * `describe` turns a stored JSON value into what the audit log shows (the same view readers get).
 */
export async function writeAuditedSetting(
  db: Database,
  actor: AuditActor,
  key: string,
  value: Prisma.InputJsonValue,
  describe: (stored: unknown) => object,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ value: Prisma.JsonValue }[]>`
      SELECT "value" FROM "Setting" WHERE "key" = ${key} FOR UPDATE`;
    await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    await recordAudit(tx, actor, {
      action: "setting.update",
      entityType: "setting",
      entityId: key,
      before: describe(before?.value),
      after: describe(value),
    });
  });
}

export async function updateSettings(
  db: Database,
  actor: AuditActor,
  update: SettingsUpdate,
  expiryWarningDays: number,
): Promise<Settings> {
  await writeAuditedSetting(db, actor, RENEWAL_DUE_DAYS_KEY, update.renewalDueDaysBeforeExpiry, (stored) => ({
    renewalDueDaysBeforeExpiry: dueDaysFrom(stored),
  }));
  return readSettings(db, expiryWarningDays);
}
