import type { Problem } from "@certfleet/contracts";
import { CliError, EXIT } from "./exit-codes";

export interface ApiTarget {
  /** Base URL of the API, e.g. https://certfleet.example.com (a path prefix is kept). */
  url: string;
  token: string;
  /** How many times a 429/503 answer is retried after waiting its Retry-After. */
  retries: number;
  /** Where "busy, retrying" lines go (stderr). */
  log: (line: string) => void;
}

export interface ApiRequest {
  method: "GET" | "POST";
  path: string;
  query?: URLSearchParams;
  body?: string;
  /** The token scope this call needs, named in the message when the API answers 403. */
  scope: "reports" | "inventory" | "read";
}

/** Longest wait for one Retry-After: a server asking for more is treated as down, not busy. */
const MAX_RETRY_WAIT_SECONDS = 120;
/** Wait when a 429/503 names no Retry-After. */
const DEFAULT_RETRY_WAIT_SECONDS = 5;

/**
 * One call to the API with the collector token. 429 and 503 are retried after their Retry-After; a
 * refused token (401/403) and an unreachable API end the command (CliError); any other answer is
 * the caller's to read.
 */
export async function callApi(target: ApiTarget, request: ApiRequest): Promise<Response> {
  const url = apiUrl(target.url, request.path, request.query);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${target.token}`,
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: request.body,
      });
    } catch (error) {
      throw new CliError(`cannot reach ${url.origin}: ${networkReason(error)}`, EXIT.failed);
    }
    if ((response.status === 429 || response.status === 503) && attempt <= target.retries) {
      const seconds = retryAfterSeconds(response.headers.get("retry-after"));
      await response.body?.cancel();
      target.log(
        `the API is busy (${response.status}); retrying in ${seconds} s (retry ${attempt} of ${target.retries})`,
      );
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new CliError(await refusedTokenMessage(response, request.scope), EXIT.auth);
    }
    if (response.status === 429 || response.status === 503 || response.status >= 500) {
      const problem = await readProblem(response);
      throw new CliError(`the API failed: ${describeProblem(problem)}`, EXIT.failed);
    }
    return response;
  }
}

/** The base URL joined with an API path: a base with a path prefix (behind a proxy) keeps it. */
export function apiUrl(base: string, path: string, query?: URLSearchParams): URL {
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new CliError(
      `--url ${JSON.stringify(base)} is not a URL (e.g. https://certfleet.example.com)`,
      EXIT.usage,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new CliError(`--url must be http:// or https://, not ${parsed.protocol}`, EXIT.usage);
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}${path}`;
  parsed.search = query?.toString() ?? "";
  return parsed;
}

/** Seconds to wait: Retry-After is delta-seconds or an HTTP date; clamped to 1..120. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return DEFAULT_RETRY_WAIT_SECONDS;
  const seconds = /^\d+$/.test(header.trim())
    ? Number(header.trim())
    : Math.ceil((Date.parse(header) - now) / 1000);
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_WAIT_SECONDS;
  return Math.min(Math.max(seconds, 1), MAX_RETRY_WAIT_SECONDS);
}

/** The problem+json body of an error answer, or a stand-in built from the status line. */
export async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body.title === "string")
      return { type: "about:blank", status: response.status, ...body } as Problem;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status line is all there is.
  }
  return { type: "about:blank", status: response.status, title: response.statusText || "HTTP error" };
}

export function describeProblem(problem: Problem): string {
  return `${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ""}`;
}

async function refusedTokenMessage(response: Response, scope: ApiRequest["scope"]): Promise<string> {
  const problem = await readProblem(response);
  if (response.status === 401)
    return `the API refused the token (${describeProblem(problem)}); check --url and --token (or CERTFLEET_TOKEN)`;
  const said = describeProblem(problem);
  // The API names the missing scope; say it anyway when an older API or a proxy does not.
  return said.includes(scope)
    ? `the token may not do this (${said})`
    : `the token may not do this (${said}); this command needs a token with the "${scope}" scope`;
}

/** "connection refused", "host not found", …: the cause fetch wraps in its "fetch failed". */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  switch (cause?.code) {
    case "ECONNREFUSED":
      return "connection refused (is the API running, and is the port right?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return "connection timed out";
    case "ECONNRESET":
      return "connection reset";
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}
