import { MAX_BATCH_REPORTS } from "@certfleet/contracts";
import type { CertificateWithDer } from "@certfleet/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ProblemError } from "../problem";
import type { SingleFlight } from "../services/single-flight";
import { TokenBudgetLeases } from "../services/token-budget-leases";
import { trustAnchorCache } from "../services/trust-anchors";

declare module "fastify" {
  interface FastifyInstance {
    /** The trust anchors this instance checks chains against (cached briefly; invalidate after a change). */
    trustAnchors: SingleFlight<CertificateWithDer[]>;
  }
}

/** A batch spends one unit of the token's budget per report it carries; anything else spends one. */
function reportsIn(body: unknown): number {
  const reports = (body as { reports?: unknown } | null)?.reports;
  return Array.isArray(reports) ? Math.min(Math.max(reports.length, 1), MAX_BATCH_REPORTS) : 1;
}

/**
 * What every collector route does before its body is validated: spend the token's per-minute report
 * budget (429 with Retry-After when it is spent; shared by every instance through Postgres, reserved in
 * leases: TokenBudgetLeases), and bring the trust anchors the evaluation checks chains against up to date.
 */
export default fp(
  async function collectorLimitsPlugin(app: FastifyInstance) {
    const anchors = trustAnchorCache(app.db);
    const budgets = new TokenBudgetLeases(app.db, app.config.tokenReportsPerMinute);
    app.decorate("trustAnchors", anchors);

    app.addHook("preValidation", async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.collectorToken;
      if (request.routeOptions.config.access !== "collector" || !token) return;
      const answer = await budgets.take(token.id, reportsIn(request.body));
      if (!answer.allowed) {
        reply.header("retry-after", String(answer.retryAfterSeconds));
        throw new ProblemError(
          429,
          "Collector token over its report budget",
          `Token "${token.name}" may submit ${app.config.tokenReportsPerMinute} reports a minute (a batch counts each report); retry after ${answer.retryAfterSeconds} s. Other tokens are not affected.`,
        );
      }
      app.evaluationSettings.trustAnchors = await anchors();
    });
  },
  { name: "collector-limits", dependencies: ["context", "auth"] },
);
