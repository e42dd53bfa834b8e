import { type Problem, REPORT_BATCH_BODY_LIMIT } from "@certfleet/contracts";

/**
 * The /api proxy (src/proxy.ts) buffers a request body up to `proxyClientMaxBodySize` (next.config.ts)
 * and silently forwards only that much of a longer one: a collector's large batch would reach the
 * API cut short. The limit is the API's own largest (REPORT_BATCH_BODY_LIMIT), and a body declared
 * longer is refused here with the 413 the API would give, never forwarded truncated. A body sent
 * without a length (chunked) could still run past it unseen, so it is refused too (411): browsers
 * and collectors (curl, PowerShell, fetch with a string body) always send Content-Length.
 */
export const PROXY_BODY_LIMIT = REPORT_BATCH_BODY_LIMIT;

export function oversizedBodyProblem(
  contentLength: string | null,
  transferEncoding: string | null = null,
): Problem | null {
  if (contentLength === null && transferEncoding !== null && transferEncoding.trim() !== "identity")
    return {
      type: "https://certfleet.dev/problems/411",
      title: "Length required",
      status: 411,
      detail:
        "Send the body with a Content-Length header: through the web app a body without one could be cut " +
        `short past ${PROXY_BODY_LIMIT} bytes. (Collectors may also post to the API directly; docs/deployment.md.)`,
    };
  if (contentLength === null || !/^\d+$/.test(contentLength.trim())) return null;
  if (Number(contentLength) <= PROXY_BODY_LIMIT) return null;
  return {
    // The same problem the API answers for a body over its limit (apps/api/src/plugins/errors.ts).
    type: "https://certfleet.dev/problems/413",
    title: "Request body too large",
    status: 413,
    detail:
      `The body is ${contentLength} bytes, over the ${PROXY_BODY_LIMIT}-byte limit (one report: 4 MiB, ` +
      "a batch of reports: 16 MiB); split the reports into smaller batches.",
  };
}
