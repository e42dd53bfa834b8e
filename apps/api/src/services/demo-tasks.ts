import type { Database } from "@certfleet/db";
import { transitionTask } from "./tasks/task-changes";

const ASSIGNED = 12;
const STARTED = 4;

/**
 * Gives the demo's renewal board some life: the demo lead assigns the most urgent tasks to the demo
 * operator, who has started a few. Done through the same service (and audit log) as real work.
 */
export async function assignDemoTasks(db: Database): Promise<number> {
  const [lead, operator] = await Promise.all([
    db.user.findUnique({ where: { email: "lead@demo.certfleet.local" } }),
    db.user.findUnique({ where: { email: "operator@demo.certfleet.local" } }),
  ]);
  if (!lead || !operator) return 0;
  const tasks = await db.renewalTask.findMany({
    where: { status: "open" },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    take: ASSIGNED,
    select: { id: true, version: true },
  });
  const asLead = {
    user: { id: lead.id, email: lead.email, name: lead.name, role: lead.role },
    audit: { id: lead.id, email: lead.email, ip: null },
  };
  const asOperator = {
    user: { id: operator.id, email: operator.email, name: operator.name, role: operator.role },
    audit: { id: operator.id, email: operator.email, ip: null },
  };
  for (const [index, task] of tasks.entries()) {
    const assigned = await transitionTask(db, asLead, task.id, {
      action: "assign",
      version: task.version,
      assigneeId: operator.id,
    });
    if (index < STARTED) {
      await transitionTask(db, asOperator, task.id, { action: "start", version: assigned.version });
    }
  }
  return tasks.length;
}
