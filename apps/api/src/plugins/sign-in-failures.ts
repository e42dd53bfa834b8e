import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { closeEndedSignInFailureWindows } from "../services/auth/sign-in-failures";

/** Often enough that a window's audit entry lands within a minute of its end. */
const CLOSE_INTERVAL_MS = 60_000;

/**
 * Writes the audit entry of every ended failed-sign-in window. Every instance runs it: closing
 * deletes the row and writes its entry in one transaction, so a window is written exactly once.
 */
export default fp(
  async function signInFailuresPlugin(app: FastifyInstance) {
    const close = () =>
      closeEndedSignInFailureWindows(app.db).catch((error: unknown) =>
        app.log.warn({ err: error }, "closing failed sign-in windows failed"),
      );
    let timer: NodeJS.Timeout | null = null;
    app.addHook("onReady", async () => {
      timer = setInterval(() => void close(), CLOSE_INTERVAL_MS).unref();
    });
    app.addHook("onClose", async () => {
      if (timer) clearInterval(timer);
    });
  },
  { name: "sign-in-failures", dependencies: ["context"] },
);
