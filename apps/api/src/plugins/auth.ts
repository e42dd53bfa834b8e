import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ProblemError } from "../problem";
import { verifyCollectorToken } from "../services/tokens";

declare module "fastify" {
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
  },
  { name: "auth", dependencies: ["context"] },
);
