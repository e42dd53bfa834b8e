import type { SessionUser, Task } from "@certfleet/contracts";
import { availableActions, isOpenTaskStatus, isTaskOverdue, roleAtLeast } from "@certfleet/core";
import type { Prisma } from "@certfleet/db";

type Reader = Pick<Prisma.TransactionClient, "renewalTask" | "certificate">;

export const TASK_SELECT = {
  id: true,
  status: true,
  priority: true,
  reasonRuleId: true,
  reasonSeverity: true,
  reasonMessage: true,
  certificateSha256: true,
  resolvedCertificateSha256: true,
  assigneeId: true,
  dueAt: true,
  note: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  closedAt: true,
  hostId: true,
  assignee: { select: { id: true, email: true, name: true } },
  host: {
    select: {
      fqdn: true,
      role: true,
      domainJoined: true,
      status: true,
      managementGroup: { select: { name: true } },
    },
  },
} as const satisfies Prisma.RenewalTaskSelect;

export type TaskRow = Prisma.RenewalTaskGetPayload<{ select: typeof TASK_SELECT }>;

type CertificateSummary = { sha256: string; serialNumber: string; notAfter: Date };

/** Tasks as the asking user sees them: the actions offered depend on who asks. */
export async function toTasks(db: Reader, rows: TaskRow[], viewer: SessionUser, now: Date): Promise<Task[]> {
  const shas = [...new Set(rows.flatMap((row) => (row.certificateSha256 ? [row.certificateSha256] : [])))];
  const certificates = shas.length
    ? await db.certificate.findMany({
        where: { sha256: { in: shas } },
        select: { sha256: true, serialNumber: true, notAfter: true },
      })
    : [];
  const bySha = new Map(certificates.map((certificate) => [certificate.sha256, certificate]));
  return rows.map((row) =>
    toTask(row, row.certificateSha256 ? bySha.get(row.certificateSha256) : undefined, viewer, now),
  );
}

function toTask(
  row: TaskRow,
  certificate: CertificateSummary | undefined,
  viewer: SessionUser,
  now: Date,
): Task {
  return {
    id: row.id,
    host: {
      fqdn: row.host.fqdn,
      role: row.host.role,
      domainJoined: row.host.domainJoined,
      status: row.host.status,
      managementGroup: row.host.managementGroup?.name ?? null,
    },
    status: row.status,
    priority: row.priority,
    reason: { ruleId: row.reasonRuleId, severity: row.reasonSeverity, message: row.reasonMessage },
    certificate: certificate
      ? {
          sha256: certificate.sha256,
          serialNumber: certificate.serialNumber,
          notAfter: certificate.notAfter.toISOString(),
        }
      : null,
    resolvedCertificateSha256: row.resolvedCertificateSha256,
    assignee: row.assignee,
    dueAt: row.dueAt.toISOString(),
    overdue: isTaskOverdue({ status: row.status, dueAt: row.dueAt }, now),
    note: row.note,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    actions: availableActions(
      { status: row.status, assigneeId: row.assigneeId },
      { userId: viewer.id, role: viewer.role },
    ),
    canEdit: roleAtLeast(viewer.role, "lead") && isOpenTaskStatus(row.status),
  };
}

export async function loadTask(db: Reader, id: number, viewer: SessionUser, now: Date): Promise<Task | null> {
  const row = await db.renewalTask.findUnique({ where: { id }, select: TASK_SELECT });
  if (!row) return null;
  const [task] = await toTasks(db, [row], viewer, now);
  return task ?? null;
}
