import { type NextRequest, NextResponse } from "next/server";
import { oversizedBodyProblem } from "@/lib/proxy-body-limit";

/**
 * Same-origin API: the browser calls `/api/...` on this Next.js server and we forward the request
 * (method, headers, body, and WebSocket upgrades) to the Fastify API at CERTFLEET_API_URL.
 *
 * This runs on the Node.js runtime for every matched request, so the API URL is read when the
 * server runs, not frozen at build time (which is what `rewrites()` in next.config.ts would do).
 * Next.js forwards at most `proxyClientMaxBodySize` bytes of a body (next.config.ts, the API's own
 * largest limit) and would cut a longer one short: a body declared longer, or sent without a
 * length, is refused here instead.
 */
export function proxy(request: NextRequest) {
  const tooLarge = oversizedBodyProblem(
    request.headers.get("content-length"),
    request.headers.get("transfer-encoding"),
  );
  if (tooLarge)
    return NextResponse.json(tooLarge, {
      status: tooLarge.status,
      headers: { "content-type": "application/problem+json" },
    });
  const { pathname, search } = request.nextUrl;
  return NextResponse.rewrite(new URL(`${apiBaseUrl()}${pathname}${search}`));
}

/** e.g. `http://127.0.0.1:3001`; a path prefix (`http://gw/certfleet`) is kept. */
function apiBaseUrl(): string {
  return (process.env.CERTFLEET_API_URL ?? "http://127.0.0.1:3001").replace(/\/+$/, "");
}

export const config = { matcher: "/api/:path*" };
