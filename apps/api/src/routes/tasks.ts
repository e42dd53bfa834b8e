import {
  BulkAssignBodySchema,
  BulkAssignResultSchema,
  FqdnParamsSchema,
  ProblemSchema,
  TaskConflictSchema,
  TaskDetailSchema,
  TaskIdParamsSchema,
  TaskListQuerySchema,
  TaskPageSchema,
  TaskSchema,
  TaskTransitionBodySchema,
  TaskUpdateBodySchema,
} from "@certfleet/contracts";
import { certReqFileName, certReqInf, chooseRequestTemplate } from "@certfleet/core";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { auditActor, currentUser } from "../plugins/auth";
import { ProblemError } from "../problem";
import { readRequestTemplateSettings } from "../services/certreq-settings";
import { asParsed } from "../services/estate/certificate-view";
import { bulkAssign, type TaskEditor, transitionTask, updateTask } from "../services/tasks/task-changes";
import { taskDetail } from "../services/tasks/task-detail";
import { listTasks } from "../services/tasks/task-list";
import { fileResponse } from "./file-response";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;

/** A change to one task: the task as it now is, or why not (409 carries the task someone else changed). */
const taskChangeResponses = {
  200: TaskSchema,
  404: ProblemSchema,
  409: TaskConflictSchema,
  422: ProblemSchema,
  ...errors,
} as const;

function editor(request: FastifyRequest): TaskEditor {
  return { user: currentUser(request), audit: auditActor(request) };
}

const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/tasks",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["tasks"],
        summary: "Renewal tasks, soonest due first; filter by status, assignee, host, priority, overdue",
        querystring: TaskListQuerySchema,
        response: { 200: TaskPageSchema, ...errors },
      },
    },
    async (request) => listTasks(app.db, request.query, currentUser(request), new Date()),
  );

  app.get(
    "/api/v1/tasks/:id",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["tasks"],
        summary: "One task with its renewal checklist, CertReq .inf link and full history",
        params: TaskIdParamsSchema,
        response: { 200: TaskDetailSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request) => taskDetail(app.db, request.params.id, currentUser(request), new Date()),
  );

  app.post(
    "/api/v1/tasks/:id/transitions",
    {
      config: { access: "operator" },
      schema: {
        tags: ["tasks"],
        summary:
          "Move a task: assign, start, submit, resume, verify, cancel, reopen (send the version you saw)",
        description:
          "Operators move tasks assigned to them; leads any task. A stale `version` gets 409 with `current`, the task as it is now.",
        params: TaskIdParamsSchema,
        body: TaskTransitionBodySchema,
        response: taskChangeResponses,
      },
    },
    async (request) => transitionTask(app.db, editor(request), request.params.id, request.body),
  );

  app.patch(
    "/api/v1/tasks/:id",
    {
      config: { access: "lead" },
      schema: {
        tags: ["tasks"],
        summary: "Change an open task's priority, due date or note (send the version you saw)",
        params: TaskIdParamsSchema,
        body: TaskUpdateBodySchema,
        response: taskChangeResponses,
      },
    },
    async (request) => updateTask(app.db, editor(request), request.params.id, request.body),
  );

  app.post(
    "/api/v1/tasks/bulk-assign",
    {
      config: { access: "lead" },
      schema: {
        tags: ["tasks"],
        summary: "Assign many tasks to one person; each task succeeds or fails on its own",
        body: BulkAssignBodySchema,
        response: { 200: BulkAssignResultSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => bulkAssign(app.db, editor(request), request.body.taskIds, request.body.assigneeId),
  );

  app.get(
    "/api/v1/hosts/:fqdn/certreq.inf",
    {
      config: { access: "operator" },
      schema: {
        tags: ["tasks"],
        summary:
          "CertReq .inf for this host, following the seed's template; names the bound certificate's template or the one set in Settings",
        params: FqdnParamsSchema,
        produces: ["application/octet-stream"],
        response: {
          200: fileResponse("application/octet-stream", "CertReq .inf (CRLF)"),
          404: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const fqdn = request.params.fqdn.toLowerCase();
      const host = await app.db.host.findUnique({
        where: { fqdn },
        select: { fqdn: true, domainJoined: true, boundCertificate: { select: { parsed: true } } },
      });
      if (!host)
        throw new ProblemError(404, "Host not found", `No host ${fqdn} has reported or been listed.`);
      const bound = host.boundCertificate ? asParsed(host.boundCertificate.parsed) : undefined;
      const template = chooseRequestTemplate(bound?.template, await readRequestTemplateSettings(app.db));
      return reply
        .type("application/octet-stream")
        .header("content-disposition", `attachment; filename="${certReqFileName(host.fqdn)}"`)
        .send(certReqInf(host, template));
    },
  );
};

export default taskRoutes;
