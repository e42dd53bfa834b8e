import type { FastifyInstance } from "fastify";

/**
 * Stops an API instance without cutting anyone off mid-request: the listening socket closes at
 * once (new connections are refused, so a load balancer moves them to another instance), idle
 * keep-alive connections close, requests already running finish, WebSocket clients are told
 * 1001 "going away" (they reconnect elsewhere and resume from their last event id), then the
 * plugins' onClose hooks stop the change listener and the job queue. Requests still running
 * after `graceMs` have their connections cut so a stuck request cannot hold the process forever.
 * The database client and an embedded Postgres belong to the caller and close after this.
 */
export async function closeGracefully(
  app: FastifyInstance,
  graceMs: number,
  say: (line: string) => void = () => {},
): Promise<{ forced: boolean }> {
  let forced = false;
  const deadline = setTimeout(() => {
    forced = true;
    say(`requests still running after ${graceMs} ms: closing their connections`);
    app.server.closeAllConnections();
  }, graceMs);
  deadline.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(deadline);
  }
  return { forced };
}
