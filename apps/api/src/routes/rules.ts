import { RuleCatalogSchema } from "@certfleet/contracts";
import { RULE_CATALOG } from "@certfleet/core";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { filterQuery } from "../services/estate/filters";

const ruleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/rules",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["estate"],
        summary: "The SCOM rule catalogue, with how many hosts each rule currently flags",
        response: { 200: RuleCatalogSchema },
      },
    },
    async () => {
      // Retired hosts count nowhere: the list each count links to leaves them out too.
      const counts = await app.db.hostFinding.groupBy({
        by: ["ruleId"],
        where: { host: { retiredAt: null } },
        _count: { hostId: true },
      });
      const hostsByRule = new Map(counts.map((row) => [row.ruleId, row._count.hostId]));
      return {
        rules: RULE_CATALOG.map((rule) => ({
          ...rule,
          hosts: {
            key: rule.id,
            count: hostsByRule.get(rule.id) ?? 0,
            query: filterQuery({ rule: rule.id }),
          },
        })),
      };
    },
  );
};

export default ruleRoutes;
