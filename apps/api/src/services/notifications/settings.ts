import type { NotificationSettings } from "@certfleet/contracts";
import { checkThresholds, thresholdsFrom } from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";
import type { NotificationsConfig } from "../../config";
import { ProblemError } from "../../problem";
import { type AuditActor, recordAudit } from "../audit";

/** The Setting row holding the expiry warning thresholds (a JSON array of days). */
export const THRESHOLDS_KEY = "notifications.thresholds";

export async function readThresholds(db: Pick<Database, "setting">): Promise<number[]> {
  const row = await db.setting.findUnique({ where: { key: THRESHOLDS_KEY } });
  return thresholdsFrom(row?.value);
}

export async function readNotificationSettings(
  db: Database,
  config: NotificationsConfig,
): Promise<NotificationSettings> {
  const row = await db.setting.findUnique({ where: { key: THRESHOLDS_KEY } });
  return {
    thresholds: thresholdsFrom(row?.value),
    updatedAt: row?.updatedAt.toISOString() ?? null,
    smtpConfigured: config.smtp !== null,
    // The sender only: the URL (with its credentials) never leaves the server.
    smtpFrom: config.smtp?.from ?? null,
  };
}

export async function updateThresholds(
  db: Database,
  config: NotificationsConfig,
  actor: AuditActor,
  values: readonly number[],
): Promise<NotificationSettings> {
  const check = checkThresholds(values);
  if (!check.ok)
    throw new ProblemError(422, "Invalid thresholds", `thresholds ${check.message}`, [
      { field: "thresholds", message: check.message },
    ]);
  await db.$transaction(async (tx) => {
    // Lock the row (or the gap) so two admins saving at once leave a true before/after trail.
    const [before] = await tx.$queryRaw<{ value: Prisma.JsonValue }[]>`
      SELECT "value" FROM "Setting" WHERE "key" = ${THRESHOLDS_KEY} FOR UPDATE`;
    await tx.setting.upsert({
      where: { key: THRESHOLDS_KEY },
      create: { key: THRESHOLDS_KEY, value: check.thresholds },
      update: { value: check.thresholds },
    });
    await recordAudit(tx, actor, {
      action: "setting.update",
      entityType: "setting",
      entityId: THRESHOLDS_KEY,
      before: { thresholds: thresholdsFrom(before?.value) },
      after: { thresholds: check.thresholds },
    });
  });
  return readNotificationSettings(db, config);
}
