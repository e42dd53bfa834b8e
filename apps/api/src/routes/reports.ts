import {
  type BatchResult,
  BatchResultSchema,
  IngestResultSchema,
  ProblemSchema,
  type Report,
  ReportBatchSchema,
  ReportSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Compile } from "typebox/compile";
import { ProblemError, schemaIssuesToFieldErrors } from "../problem";
import { ingestReport } from "../services/ingest";
import { type IngestContext, ingestContext } from "../services/ingest-context";
import { findPrivateKeyMaterial, privateKeyRefused, refusePrivateKeys } from "../services/private-keys";
import { refuseFutureReport } from "../services/report-clock";

const MiB = 1024 * 1024;
/** Body limits (docs/collector-contract.md): one report, and a batch of up to 1,000 of them; 413 above. */
export const REPORT_BODY_LIMIT = 4 * MiB;
export const BATCH_BODY_LIMIT = 16 * MiB;
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));
const reportValidator = Compile(ReportSchema);

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      const outcome = await ingestReport(
        app.db,
        request.body,
        app.evaluationSettings,
        ingestContext(request),
      );
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
      const results: BatchResult["results"] = [];
      for (const [index, item] of request.body.reports.entries()) {
        results.push(await ingestBatchItem(index, item, ingestContext(request)));
      }
      const accepted = results.filter((result) => result.status < 300).length;
      return { accepted, rejected: results.length - accepted, results };
    },
  );

  async function ingestBatchItem(
    index: number,
    item: unknown,
    context: IngestContext,
  ): Promise<BatchResult["results"][number]> {
    const prefix = `reports[${index}]`;
    try {
      const keyField = findPrivateKeyMaterial(item, prefix);
      if (keyField) throw privateKeyRefused(keyField);
      if (!reportValidator.Check(item)) {
        const errors = schemaIssuesToFieldErrors([...reportValidator.Errors(item)], prefix);
        throw new ProblemError(
          422,
          "Report does not match the contract",
          `${errors[0]?.field} ${errors[0]?.message}`,
          errors,
        );
      }
      refuseFutureReport(item as Report);
      const outcome = await ingestReport(app.db, item as Report, app.evaluationSettings, context);
      return { index, status: outcome.created ? 201 : 200, result: outcome.result };
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      return { index, status: error.status, problem: prefixed(error, prefix).toProblem() };
    }
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
