import {
  INVENTORY_BODY_LIMIT,
  InventoryImportResultSchema,
  InventoryImportSchema,
  ProblemSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { requestActor } from "../plugins/auth";
import { importInventory } from "../services/inventory-import";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 422: ProblemSchema } as const;

const inventoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/v1/inventory",
    {
      config: { access: "inventory" },
      bodyLimit: INVENTORY_BODY_LIMIT,
      schema: {
        tags: ["estate"],
        summary:
          "Import SCOM's inventory (Export-Csv of Get-SCOMAgent / Get-SCOMManagementServer, or fqdn,role,managementGroup): a snapshot per management group, or a dry-run preview",
        description:
          "Hosts in the CSVs become expected (a retired one comes back). An expected host of a management group the " +
          "import names that is missing from it is retired: out of counts, lists and exports, its open renewal task " +
          "cancelled. A bad row answers 422 naming `sources[i].csv line N column X` and nothing is written. Audited.",
        body: InventoryImportSchema,
        response: { 200: InventoryImportResultSchema, ...errors },
      },
    },
    async (request) => importInventory(app.db, requestActor(request), request.body),
  );
};

export default inventoryRoutes;
