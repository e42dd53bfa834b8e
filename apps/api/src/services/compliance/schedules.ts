import type {
  HostFilter,
  ReportSchedule,
  ReportScheduleCreate,
  ReportScheduleList,
  ReportScheduleUpdate,
} from "@certfleet/contracts";
import { cronProblem } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { type FieldError, ProblemError } from "../../problem";
import { type AuditActor, recordAudit } from "../audit";

type ScheduleRecord = NonNullable<Awaited<ReturnType<Database["reportSchedule"]["findUnique"]>>>;

/** Null when the IANA zone is known to this runtime (the same ICU pg-boss's cron parser uses). */
export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return null;
  } catch {
    return `"${timezone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`;
  }
}

function validate(fields: { cron?: string; timezone?: string }): void {
  const errors: FieldError[] = [];
  const cron = fields.cron === undefined ? null : cronProblem(fields.cron);
  if (cron) errors.push({ field: "cron", message: cron });
  const zone = fields.timezone === undefined ? null : timezoneProblem(fields.timezone);
  if (zone) errors.push({ field: "timezone", message: zone });
  if (errors.length) {
    throw new ProblemError(
      422,
      "Invalid schedule",
      errors.map((error) => `${error.field}: ${error.message}`).join("; "),
      errors,
    );
  }
}

export async function listSchedules(db: Database): Promise<ReportScheduleList> {
  const rows = await db.reportSchedule.findMany({ orderBy: { id: "asc" } });
  return { items: await toSchedules(db, rows) };
}

export async function findSchedule(db: Database, id: number): Promise<ScheduleRecord> {
  const row = await db.reportSchedule.findUnique({ where: { id } });
  if (!row) throw new ProblemError(404, "Schedule not found", `No report schedule ${id} exists.`);
  return row;
}

export async function createSchedule(
  db: Database,
  actor: AuditActor,
  body: ReportScheduleCreate,
): Promise<ReportSchedule> {
  validate(body);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.reportSchedule.create({
      data: {
        name: body.name,
        cron: body.cron.trim(),
        timezone: body.timezone,
        filter: body.filter ?? {},
        enabled: body.enabled ?? true,
        createdById: actor.id > 0 ? actor.id : null,
      },
    });
    await recordAudit(tx, actor, {
      action: "schedule.create",
      entityType: "report_schedule",
      entityId: created.id,
      after: auditView(created),
    });
    return created;
  });
  return (await toSchedules(db, [row]))[0] as ReportSchedule;
}

export async function updateSchedule(
  db: Database,
  actor: AuditActor,
  id: number,
  body: ReportScheduleUpdate,
): Promise<ReportSchedule> {
  validate(body);
  const row = await db.$transaction(async (tx) => {
    const before = await findSchedule(tx as Database, id);
    const updated = await tx.reportSchedule.update({
      where: { id },
      data: {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.cron !== undefined ? { cron: body.cron.trim() } : {}),
        ...(body.timezone !== undefined ? { timezone: body.timezone } : {}),
        ...(body.filter !== undefined ? { filter: body.filter } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      },
    });
    await recordAudit(tx, actor, {
      action: "schedule.update",
      entityType: "report_schedule",
      entityId: id,
      before: auditView(before),
      after: auditView(updated),
    });
    return updated;
  });
  return (await toSchedules(db, [row]))[0] as ReportSchedule;
}

export async function deleteSchedule(db: Database, actor: AuditActor, id: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await findSchedule(tx as Database, id);
    await tx.reportSchedule.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "schedule.delete",
      entityType: "report_schedule",
      entityId: id,
      before: auditView(before),
    });
  });
}

function auditView(row: ScheduleRecord) {
  return { name: row.name, cron: row.cron, timezone: row.timezone, filter: row.filter, enabled: row.enabled };
}

async function toSchedules(db: Database, rows: ScheduleRecord[]): Promise<ReportSchedule[]> {
  const ids = [...new Set(rows.flatMap((row) => (row.createdById ? [row.createdById] : [])))];
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    filter: row.filter as HostFilter,
    enabled: row.enabled,
    createdBy: row.createdById ? (emails.get(row.createdById) ?? null) : null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/** "Weekly audit — 2026-06-01": the title of a scheduled report, dated in the schedule's zone. */
export function scheduledTitle(name: string, timezone: string, at: Date): string {
  const day = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
  return `${name} — ${day}`;
}
