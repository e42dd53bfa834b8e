import {
  EXPORT_TOTAL_HEADER,
  HOST_EXPORT_FORMATS,
  HostExportQuerySchema,
  ProblemSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { requestActor } from "../plugins/auth";
import { recordAudit } from "../services/audit";
import { HOST_EXPORT_FILES, hostExportFilename } from "../services/exports/host-export-files";
import { startHostExport } from "../services/exports/host-export-rows";
import { fileResponse } from "./file-response";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;

const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const format of HOST_EXPORT_FORMATS) {
    const file = HOST_EXPORT_FILES[format];
    app.get(
      `/api/v1/hosts/export.${format}`,
      {
        config: { access: "reader" },
        // A HEAD would run the handler and audit an export nobody downloaded.
        exposeHeadRoute: false,
        schema: {
          tags: ["estate"],
          summary: `The filtered host list as ${format.toUpperCase()}, streamed (the export is audited)`,
          description: `Same filter and sort as GET /api/v1/hosts, every page. The ${EXPORT_TOTAL_HEADER} header carries the row count before the first row.`,
          querystring: HostExportQuerySchema,
          produces: [file.contentType.split(";")[0] ?? file.contentType],
          response: { 200: fileResponse(file.contentType, "A header row, then one row per host"), ...errors },
        },
      },
      async (request, reply) => {
        const clock = app.estateClock();
        const { total, batches } = await startHostExport(app.db, request.query, clock);
        // Recorded before the first byte: an export cut short was still an export of these rows.
        await recordAudit(app.db, requestActor(request), {
          action: `export.hosts_${format}`,
          entityType: "export",
          after: { filter: request.query, rows: total },
        });
        const body = file.stream(batches, (error) => request.log.error({ err: error }, "host export failed"));
        return reply
          .type(file.contentType)
          .header("content-disposition", `attachment; filename="${hostExportFilename(format, clock.now)}"`)
          .header("cache-control", "no-store")
          .header(EXPORT_TOTAL_HEADER, String(total))
          .send(body);
      },
    );
  }
};

export default exportsRoutes;
