import {
  ComplianceDiffParamsSchema,
  ComplianceDiffSchema,
  ComplianceDownloadParamsSchema,
  ComplianceReportCreateSchema,
  ComplianceReportIdParamsSchema,
  ComplianceReportListQuerySchema,
  ComplianceReportPageSchema,
  ComplianceReportSchema,
  ComplianceVerificationSchema,
  ProblemSchema,
  ReportScheduleCreateSchema,
  ReportScheduleIdParamsSchema,
  ReportScheduleListSchema,
  ReportScheduleSchema,
  ReportScheduleUpdateSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { auditActor } from "../plugins/auth";
import { recordAudit } from "../services/audit";
import { complianceCsvStream, complianceJsonStream } from "../services/compliance/downloads";
import { compliancePdf } from "../services/compliance/pdf";
import {
  complianceReportView,
  diffComplianceReports,
  listComplianceReports,
  verifyComplianceReport,
} from "../services/compliance/reports";
import { ComplianceScheduler } from "../services/compliance/scheduler";
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  updateSchedule,
} from "../services/compliance/schedules";
import { takeComplianceSnapshot } from "../services/compliance/snapshot";
import { fileResponse } from "./file-response";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;
const CONTENT_TYPES = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
} as const;

const complianceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const scheduler = new ComplianceScheduler(app);
  scheduler.define();
  app.addHook("onReady", () => scheduler.start());
  app.addHook("onClose", () => scheduler.stop());

  app.post(
    "/api/v1/compliance-reports",
    {
      config: { access: "lead" },
      schema: {
        tags: ["compliance"],
        summary: "Take a compliance report: every host matching the filter, frozen and hashed",
        description:
          "`filter` uses the GET /api/v1/hosts vocabulary ({} or absent = whole estate). Answers once the report is stored.",
        body: ComplianceReportCreateSchema,
        response: { 201: ComplianceReportSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const taken = await takeComplianceSnapshot(app.db, {
        title: request.body.title,
        filter: request.body.filter ?? {},
        clock: app.estateClock(),
        actor: auditActor(request),
      });
      return reply.code(201).send(await complianceReportView(app.db, taken.id));
    },
  );

  app.get(
    "/api/v1/compliance-reports",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["compliance"],
        summary: "Compliance reports, newest first (cursor pagination)",
        querystring: ComplianceReportListQuerySchema,
        response: { 200: ComplianceReportPageSchema, ...errors },
      },
    },
    async (request) => listComplianceReports(app.db, request.query),
  );

  app.get(
    "/api/v1/compliance-reports/:id",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["compliance"],
        summary: "One report: header, totals and content SHA-256",
        params: ComplianceReportIdParamsSchema,
        response: { 200: ComplianceReportSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request) => complianceReportView(app.db, request.params.id),
  );

  app.get(
    "/api/v1/compliance-reports/:id/verify",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["compliance"],
        summary: "Recompute the content hash from the stored rows and compare it with the recorded one",
        params: ComplianceReportIdParamsSchema,
        response: { 200: ComplianceVerificationSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request) => verifyComplianceReport(app.db, request.params.id),
  );

  app.get(
    "/api/v1/compliance-reports/:id.:format",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["compliance"],
        summary: "Download a report: .json (the canonical content, sha256sum = contentSha256), .csv or .pdf",
        params: ComplianceDownloadParamsSchema,
        produces: [CONTENT_TYPES.json, "text/csv", CONTENT_TYPES.pdf],
        response: {
          200: fileResponse("application/octet-stream", "The report file (streamed)"),
          404: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { id, format } = request.params;
      const report = await complianceReportView(app.db, id);
      await recordAudit(app.db, auditActor(request), {
        action: "report.download",
        entityType: "compliance_report",
        entityId: id,
        after: { format, contentSha256: report.contentSha256 },
      });
      const onError = (error: unknown) =>
        request.log.error({ err: error, reportId: id, format }, "compliance report download failed");
      const {
        id: _id,
        contentSha256: _hash,
        createdBy: _by,
        schedule: _schedule,
        createdAt: _at,
        downloads: _d,
        ...header
      } = report;
      const body =
        format === "json"
          ? complianceJsonStream(app.db, id, header, onError)
          : format === "csv"
            ? complianceCsvStream(app.db, id, onError)
            : compliancePdf(app.db, report, onError);
      return reply
        .type(CONTENT_TYPES[format])
        .header("content-disposition", `attachment; filename="certfleet-compliance-${id}.${format}"`)
        .header("x-content-sha256", report.contentSha256)
        .send(body);
    },
  );

  app.get(
    "/api/v1/compliance-reports/:from/diff/:to",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["compliance"],
        summary: "Compare two reports host by host: better, worse, new, gone (and how many unchanged)",
        params: ComplianceDiffParamsSchema,
        response: { 200: ComplianceDiffSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request) => diffComplianceReports(app.db, request.params.from, request.params.to),
  );

  app.get(
    "/api/v1/report-schedules",
    {
      config: { access: "lead" },
      schema: {
        tags: ["compliance"],
        summary: "Recurring compliance reports",
        response: { 200: ReportScheduleListSchema, ...errors },
      },
    },
    async () => listSchedules(app.db),
  );

  app.post(
    "/api/v1/report-schedules",
    {
      config: { access: "lead" },
      schema: {
        tags: ["compliance"],
        summary: "Schedule a recurring report (five-field cron in an IANA time zone)",
        body: ReportScheduleCreateSchema,
        response: { 201: ReportScheduleSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const schedule = await createSchedule(app.db, auditActor(request), request.body);
      await scheduler.sync(schedule);
      return reply.code(201).send(schedule);
    },
  );

  app.patch(
    "/api/v1/report-schedules/:id",
    {
      config: { access: "lead" },
      schema: {
        tags: ["compliance"],
        summary: "Change a schedule (name, cron, time zone, filter, enabled)",
        params: ReportScheduleIdParamsSchema,
        body: ReportScheduleUpdateSchema,
        response: { 200: ReportScheduleSchema, 404: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      const schedule = await updateSchedule(app.db, auditActor(request), request.params.id, request.body);
      await scheduler.sync(schedule);
      return schedule;
    },
  );

  app.delete(
    "/api/v1/report-schedules/:id",
    {
      config: { access: "lead" },
      schema: {
        tags: ["compliance"],
        summary: "Delete a schedule (its reports stay)",
        params: ReportScheduleIdParamsSchema,
        response: { 204: Type.Null({ description: "Deleted" }), 404: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await deleteSchedule(app.db, auditActor(request), request.params.id);
      await scheduler.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default complianceRoutes;
