import {
  FqdnParamsSchema,
  HostDetailSchema,
  HostListQuerySchema,
  HostPageSchema,
  ProblemSchema,
  SummarySchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { hostDetail } from "../services/estate/host-detail";
import { listHosts } from "../services/estate/hosts";
import { estateSummary } from "../services/estate/summary";
import { singleFlight } from "../services/single-flight";

const hostRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const summary = singleFlight(() => estateSummary(app.db, app.estateClock()), app.config.summaryMaxAgeMs);
  // A summary computed before a report must not answer the refetch that report's push triggers.
  app.changeHub.onChanges(summary.invalidate);

  app.get(
    "/api/v1/summary",
    {
      config: { access: "reader" },
      schema: {
        tags: ["estate"],
        summary:
          "Estate overview: counts by status, role, management group, expiry, reporting and failing rule",
        description:
          "Every count carries `query`: the GET /api/v1/hosts query string that lists exactly those hosts.",
        response: { 200: SummarySchema },
      },
    },
    async () => summary(),
  );

  app.get(
    "/api/v1/hosts",
    {
      config: { access: "reader" },
      schema: {
        tags: ["estate"],
        summary: "Filtered, sorted host list with keyset (cursor) pagination and the total count",
        querystring: HostListQuerySchema,
        response: { 200: HostPageSchema, 400: ProblemSchema },
      },
    },
    async (request) => listHosts(app.db, request.query, app.estateClock()),
  );

  app.get(
    "/api/v1/hosts/:fqdn",
    {
      config: { access: "reader" },
      schema: {
        tags: ["estate"],
        summary: "One host: status, findings, bound and store certificates, events, serial history",
        params: FqdnParamsSchema,
        response: { 200: HostDetailSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => hostDetail(app.db, request.params.fqdn, app.estateClock()),
  );
};

export default hostRoutes;
