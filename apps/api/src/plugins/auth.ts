import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ProblemError } from "../problem";
import { verifyCollectorToken } from "../services/tokens";

/**
 * Who may call a route. Every route declares one in `config.access`; a route without it stops
 * the app at start-up, so nothing ships unguarded by accident.
 * - public: health and documentation;
 * - collector: a live collector bearer token;
 * - read: estate reads. Open until user accounts and sessions exist (the users-and-roles issue),
 *   when this becomes "a signed-in viewer or better".
 */
export type Access = "public" | "collector" | "read";
const ACCESS_LEVELS: readonly Access[] = ["public", "collector", "read"];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** onRequest hook for collector routes: a live collector bearer token or 401. */
    requireCollector: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    collectorTokenId?: number;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export default fp(
  async function authPlugin(app: FastifyInstance) {
    app.decorate("requireCollector", async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (!token) {
        throw new ProblemError(
          401,
          "Authentication required",
          "Send Authorization: Bearer <collector token>.",
        );
      }
      const tokenId = await verifyCollectorToken(app.db, token);
      if (tokenId === null) {
        throw new ProblemError(401, "Invalid collector token", "The token is unknown or has been revoked.");
      }
      request.collectorTokenId = tokenId;
    });

    app.addHook("onRoute", (route) => {
      const access = (route.config as { access?: Access } | undefined)?.access;
      if (!access || !ACCESS_LEVELS.includes(access)) {
        throw new Error(`${route.method} ${route.url} declares no access policy (config.access)`);
      }
      if (access === "collector") {
        const existing = route.onRequest ? [route.onRequest].flat() : [];
        route.onRequest = [app.requireCollector, ...existing];
      }
    });
  },
  { name: "auth", dependencies: ["context"] },
);
