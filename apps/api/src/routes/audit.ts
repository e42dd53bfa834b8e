import { AuditPageSchema, AuditQuerySchema, ProblemSchema } from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { stringify } from "csv-stringify";
import { auditActor } from "../plugins/auth";
import { auditRows, listAudit, recordAudit } from "../services/audit";
import { fileResponse } from "./file-response";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;
const CSV_COLUMNS = [
  "id",
  "at",
  "actor",
  "action",
  "entityType",
  "entityId",
  "ip",
  "before",
  "after",
] as const;

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/audit",
    {
      config: { access: "admin" },
      schema: {
        tags: ["audit"],
        summary: "The append-only audit log, newest first, filtered and paginated",
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...errors },
      },
    },
    async (request) => listAudit(app.db, request.query),
  );

  app.get(
    "/api/v1/audit.csv",
    {
      config: { access: "admin" },
      schema: {
        tags: ["audit"],
        summary: "The filtered audit log as CSV, oldest first, streamed (the export itself is audited)",
        querystring: AuditQuerySchema,
        produces: ["text/csv"],
        response: { 200: fileResponse("text/csv", "CSV with a header row"), ...errors },
      },
    },
    async (request, reply) => {
      const { limit: _limit, cursor: _cursor, ...filter } = request.query;
      await recordAudit(app.db, auditActor(request), {
        action: "export.audit_csv",
        entityType: "export",
        after: { filter },
      });
      const csv = stringify({
        header: true,
        columns: [...CSV_COLUMNS],
        // A user's name like "=HYPERLINK(...)" must stay text when an auditor opens the file in Excel.
        escape_formulas: true,
      });
      void (async () => {
        try {
          for await (const entry of auditRows(app.db, filter)) {
            const row = {
              ...entry,
              before: entry.before === null ? "" : JSON.stringify(entry.before),
              after: entry.after === null ? "" : JSON.stringify(entry.after),
            };
            if (!csv.write(row)) await new Promise((resolve) => csv.once("drain", resolve));
          }
          csv.end();
        } catch (error) {
          request.log.error({ err: error }, "audit export failed");
          csv.destroy(error instanceof Error ? error : new Error(String(error)));
        }
      })();
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="certfleet-audit-${day}.csv"`)
        .send(csv);
    },
  );
};

export default auditRoutes;
