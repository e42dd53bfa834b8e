import type { SessionUser, TaskDetail } from "@certfleet/contracts";
import { chooseRequestTemplate, renewalChecklist } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../../problem";
import { readRequestTemplateSettings } from "../certreq-settings";
import { asParsed } from "../estate/certificate-view";
import { loadTask } from "./task-view";

/** A task with what the operator needs to do it: the seed's checklist, the .inf link and its history. */
export async function taskDetail(
  db: Database,
  id: number,
  viewer: SessionUser,
  now: Date,
): Promise<TaskDetail> {
  const task = await loadTask(db, id, viewer, now);
  if (!task) throw new ProblemError(404, "Task not found", `No renewal task with id ${id}.`);
  const [history, host, templateSettings] = await Promise.all([
    db.auditEvent.findMany({
      where: { entityType: "task", entityId: String(id) },
      orderBy: { id: "asc" },
      select: { at: true, actorEmail: true, action: true, before: true, after: true },
    }),
    db.host.findUnique({
      where: { fqdn: task.host.fqdn },
      select: { primaryServer: true, boundCertificate: { select: { parsed: true } } },
    }),
    readRequestTemplateSettings(db),
  ]);
  const bound = host?.boundCertificate ? asParsed(host?.boundCertificate.parsed) : undefined;
  const template = chooseRequestTemplate(bound?.template, templateSettings);
  return {
    ...task,
    checklist: renewalChecklist({
      fqdn: task.host.fqdn,
      role: task.host.role,
      domainJoined: task.host.domainJoined,
      primaryServer: host?.primaryServer ?? null,
    }),
    certReqUrl: `/api/v1/hosts/${encodeURIComponent(task.host.fqdn)}/certreq.inf`,
    certReqTemplate: template,
    history: history.map((entry) => ({
      at: entry.at.toISOString(),
      actor: entry.actorEmail,
      action: entry.action,
      before: entry.before ?? null,
      after: entry.after ?? null,
    })),
  };
}
