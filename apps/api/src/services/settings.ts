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

export async function updateSettings(
  db: Database,
  actor: AuditActor,
  update: SettingsUpdate,
  expiryWarningDays: number,
): Promise<Settings> {
  await db.$transaction(async (tx) => {
    // Lock the row (or the gap) so two admins saving at once leave a true before/after trail.
    const [before] = await tx.$queryRaw<{ value: Prisma.JsonValue }[]>`
      SELECT "value" FROM "Setting" WHERE "key" = ${RENEWAL_DUE_DAYS_KEY} FOR UPDATE`;
    await tx.setting.upsert({
      where: { key: RENEWAL_DUE_DAYS_KEY },
      create: { key: RENEWAL_DUE_DAYS_KEY, value: update.renewalDueDaysBeforeExpiry },
      update: { value: update.renewalDueDaysBeforeExpiry },
    });
    await recordAudit(tx, actor, {
      action: "setting.update",
      entityType: "setting",
      entityId: RENEWAL_DUE_DAYS_KEY,
      before: { renewalDueDaysBeforeExpiry: dueDaysFrom(before?.value) },
      after: { renewalDueDaysBeforeExpiry: update.renewalDueDaysBeforeExpiry },
    });
  });
  return readSettings(db, expiryWarningDays);
}
