import type { Problem } from "@certfleet/contracts";

/**
 * Error thrown for any non-2xx API response. `title`/`detail` come from the problem+json body
 * (RFC 9457) when the API sent one; `body` keeps whatever JSON was sent for callers that need it.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly problem: Problem | undefined;
  readonly body: unknown;

  constructor(status: number, title: string, detail: string | undefined, body: unknown) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ApiError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problem = isProblem(body) ? body : undefined;
    this.body = body;
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { title?: unknown }).title === "string" &&
    typeof (body as { status?: unknown }).status === "number"
  );
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Fetches `path` from the API (same origin: `/api/...` is proxied by Next.js) and returns the
 * parsed JSON body. Throws `ApiError` on non-2xx responses and on network failures.
 */
export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: "application/json, application/problem+json", ...init?.headers },
    });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, "Network error", detail, undefined);
  }

  const body = await readBody(response);
  if (!response.ok) {
    if (isProblem(body)) throw new ApiError(response.status, body.title, body.detail, body);
    const title = response.statusText || `HTTP ${response.status}`;
    const text = typeof body === "string" ? body.trim().slice(0, 300) : "";
    const detail = text !== "" && text !== title ? text : undefined;
    throw new ApiError(response.status, title, detail, body);
  }
  return body as T;
}
