import type { NotificationSettings } from "@certfleet/contracts";
import { checkThresholds, thresholdsFrom } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import type { NotificationsConfig } from "../../config";
import { ProblemError } from "../../problem";
import type { AuditActor } from "../audit";
import { writeAuditedSetting } from "../settings";

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
  // check.thresholds is already in the stored form, so thresholdsFrom gives it back unchanged.
  await writeAuditedSetting(db, actor, THRESHOLDS_KEY, check.thresholds, (stored) => ({
    thresholds: thresholdsFrom(stored),
  }));
  return readNotificationSettings(db, config);
}
