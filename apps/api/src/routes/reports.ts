import {
  type BatchResult,
  BatchResultSchema,
  IngestResultSchema,
  ProblemSchema,
  REPORT_BATCH_BODY_LIMIT,
  type Report,
  ReportBatchSchema,
  ReportSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Compile } from "typebox/compile";
import { TimeSlice } from "../lib/time-slice";
import { ProblemError, schemaIssuesToFieldErrors } from "../problem";
import { ingestReports } from "../services/ingest";
import { ingestContext } from "../services/ingest-context";
import { SingleReportQueue } from "../services/ingest-queue";
import { findPrivateKeyMaterial, privateKeyRefused, refusePrivateKeys } from "../services/private-keys";
import { refuseFutureReport } from "../services/report-clock";

const MiB = 1024 * 1024;
/** Body limits (docs/collector-contract.md): one report, and a batch of up to 1,000 of them; 413 above. */
export const REPORT_BODY_LIMIT = 4 * MiB;
export const BATCH_BODY_LIMIT = REPORT_BATCH_BODY_LIMIT;
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));
const reportValidator = Compile(ReportSchema);

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Single reports that arrive together are written together (see SingleReportQueue).
  const singles = new SingleReportQueue(app.db, app.evaluationSettings);

  app.post(
    "/api/v1/reports",
    {
      bodyLimit: REPORT_BODY_LIMIT,
      config: { access: "collector" },
      // Before schema validation: a private key is refused even inside an otherwise broken report.
      preValidation: async (request) => refusePrivateKeys(request.body),
      preHandler: async (request) => refuseFutureReport(request.body),
      schema: {
        tags: ["collector"],
        summary: "Submit one collector report",
        description:
          "Evaluates the report against SCOM's channel certificate requirements, stores it and answers with the " +
          "host's status and findings. Re-posting the same report (same host and collectedAt) answers 200 and " +
          "changes nothing.",
        security: [{ collectorToken: [] }],
        body: ReportSchema,
        response: {
          200: IngestResultSchema,
          201: IngestResultSchema,
          ...problems(400, 401, 403, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const outcome = await singles.ingest(request.body, ingestContext(request));
      return reply.status(outcome.created ? 201 : 200).send(outcome.result);
    },
  );

  app.post(
    "/api/v1/reports/batch",
    {
      bodyLimit: BATCH_BODY_LIMIT,
      config: { access: "collector" },
      schema: {
        tags: ["collector"],
        summary: "Submit up to 1,000 collector reports",
        description:
          "Each report is validated and stored on its own: the answer has one result per item, in order, with the " +
          "status that report would have had alone. One bad report does not sink the others.",
        security: [{ collectorToken: [] }],
        body: ReportBatchSchema,
        response: { 200: BatchResultSchema, ...problems(400, 401, 413, 415, 422, 429) },
      },
    },
    async (request) => {
      // Every item is checked first; the valid ones are then stored together (set-based, one transaction).
      const results: BatchResult["results"] = new Array(request.body.reports.length);
      const valid: { index: number; report: Report }[] = [];
      const slice = new TimeSlice();
      for (const [index, item] of request.body.reports.entries()) {
        await slice.yieldIfSpent();
        const problem = checkBatchItem(index, item);
        if (problem) results[index] = { index, status: problem.status, problem: problem.toProblem() };
        else valid.push({ index, report: item as Report });
      }
      const outcomes = await ingestReports(
        app.db,
        valid.map((item) => item.report),
        app.evaluationSettings,
        ingestContext(request),
      );
      for (const [position, { index }] of valid.entries()) {
        const outcome = outcomes[position];
        if (!outcome) throw new Error(`batch item ${index} got no outcome`);
        results[index] = outcome.ok
          ? { index, status: outcome.outcome.created ? 201 : 200, result: outcome.outcome.result }
          : {
              index,
              status: outcome.problem.status,
              problem: prefixed(outcome.problem, `reports[${index}]`).toProblem(),
            };
      }
      const accepted = results.filter((result) => result.status < 300).length;
      return { accepted, rejected: results.length - accepted, results };
    },
  );

  /** The contract and the private-key scan, per item: the problem that item alone would get, if any. */
  function checkBatchItem(index: number, item: unknown): ProblemError | null {
    const prefix = `reports[${index}]`;
    try {
      const keyField = findPrivateKeyMaterial(item, prefix);
      if (keyField) return privateKeyRefused(keyField);
    } catch (error) {
      // Too deep or too large to scan: the item alone would get the same 400.
      if (error instanceof ProblemError) return error;
      throw error;
    }
    if (reportValidator.Check(item)) return null;
    const errors = schemaIssuesToFieldErrors([...reportValidator.Errors(item)], prefix);
    return new ProblemError(
      422,
      "Report does not match the contract",
      `${errors[0]?.field} ${errors[0]?.message}`,
      errors,
    );
  }
};

/** Field names inside a batch item are reported from the batch body's root (`reports[3].certificates[0].der`). */
function prefixed(error: ProblemError, prefix: string): ProblemError {
  const errors = error.errors?.map((fieldError) => ({
    ...fieldError,
    field: fieldError.field.startsWith(prefix) ? fieldError.field : `${prefix}.${fieldError.field}`,
  }));
  return new ProblemError(error.status, error.title, error.detail, errors);
}

export default reportRoutes;
