import type { Problem } from "@certfleet/contracts";
import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { ProblemError, problemType, type SchemaIssue, schemaIssuesToFieldErrors } from "../problem";
import { databaseUnavailable } from "../services/database-errors";
import { uniqueViolation } from "../unique-violation";

const FRAMEWORK_ERRORS: Record<string, { status: number; title: string; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    title: "Unsupported media type",
    detail: "Send the body as application/json.",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    title: "Request body too large",
    detail:
      "The body is over this endpoint's limit (one report: 4 MiB, a batch of reports: 16 MiB); split the reports into smaller batches.",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    title: "Malformed JSON",
    detail: "The body is not valid JSON.",
  },
  FST_CSRF_MISSING_SECRET: {
    status: 403,
    title: "Missing or invalid CSRF token",
    detail: "Send the csrfToken from GET /api/v1/auth/session as the x-csrf-token header.",
  },
  FST_CSRF_INVALID_TOKEN: {
    status: 403,
    title: "Missing or invalid CSRF token",
    detail: "Send the csrfToken from GET /api/v1/auth/session as the x-csrf-token header.",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    title: "Empty body",
    detail: "The body must be a JSON document.",
  },
};

/** The one place where failures become RFC 9457 application/problem+json. */
export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      // Database down, restarting or timing out: the caller should retry, this is no bug (never 500).
      const unavailable = databaseUnavailable(error);
      if (unavailable) {
        request.log.warn({ err: error, reason: unavailable.reason }, "database unavailable");
        return reply
          .status(503)
          .header("retry-after", String(unavailable.retryAfterSeconds))
          .type("application/problem+json")
          .send(
            new ProblemError(
              503,
              "Database unavailable",
              `The database is unavailable or busy (${unavailable.reason}). Retry after ${unavailable.retryAfterSeconds} s.`,
            ).toProblem(request.url),
          );
      }
      const problem = toProblem(error, request.url);
      if (problem.status >= 500) request.log.error({ err: error }, "request failed");
      // Never log the body: a refused report may carry private key material.
      else request.log.info({ status: problem.status, title: problem.title }, "request rejected");
      if (problem.status === 401) reply.header("www-authenticate", 'Bearer realm="certfleet"');
      return reply.status(problem.status).type("application/problem+json").send(problem);
    });
    app.setNotFoundHandler((request, reply) =>
      reply
        .status(404)
        .type("application/problem+json")
        .send(
          new ProblemError(404, "Not found", `No route ${request.method} ${request.url}`).toProblem(
            request.url,
          ),
        ),
    );
  },
  { name: "errors" },
);

function toProblem(error: FastifyError, instance: string): Problem {
  if (error instanceof ProblemError) return error.toProblem(instance);
  if (error.validation) {
    // A well-formed body that breaks the contract is unprocessable (422); bad query/params are 400.
    const status = error.validationContext === "body" ? 422 : 400;
    const errors = schemaIssuesToFieldErrors(error.validation as unknown as SchemaIssue[]);
    const first = errors[0];
    return {
      type: problemType(status),
      // Only collectors' reports have a "contract"; a person's form (a password change) gets plain words.
      title:
        status !== 422
          ? "Invalid request"
          : instance.startsWith("/api/v1/reports")
            ? "Report does not match the contract"
            : "Invalid request body",
      status,
      detail: first ? `${first.field} ${first.message}` : error.message,
      instance,
      errors,
    };
  }
  // A write that lost a race to an equal one: the client's view is stale, not the server broken.
  if (uniqueViolation(error)) {
    const detail = "Something with the same identity was stored meanwhile; read it again and retry.";
    return { type: problemType(409), title: "Conflict", status: 409, detail, instance };
  }
  const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
  if (known) return { type: problemType(known.status), ...known, instance };
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  return {
    type: problemType(status),
    title: status >= 500 ? "Internal server error" : error.message,
    status,
    ...(status >= 500 ? { detail: "The error was logged; try again or contact the administrator." } : {}),
    instance,
  };
}
