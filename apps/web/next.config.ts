import type { NextConfig } from "next";

/**
 * The largest body the API takes (a batch of reports, REPORT_BATCH_BODY_LIMIT in
 * packages/contracts/src/report.ts; a web test checks the two agree). Next.js buffers at most this
 * much of a request body for the /api proxy (src/proxy.ts) and forwards a longer one cut short, so it
 * must not be less than what the API accepts (Next's default is 10 MiB). A literal, not an import:
 * this file is loaded by Next.js before it compiles workspace packages.
 */
export const PROXY_CLIENT_MAX_BODY_SIZE = 16 * 1024 * 1024;

/**
 * Content-Security-Policy of every page. Scripts: 'self' plus 'unsafe-inline', because the App
 * Router prerenders pages as static HTML that carries inline scripts (the React Server Component
 * payload, `self.__next_f.push(...)`, different on every page) and our theme script; a nonce would
 * have to be minted per request, which forces every page to render per request. Everything else is
 * strict: no plugins, no foreign frames, scripts, styles, images or connections (the API and the
 * live stream are same-origin: 'self' covers ws:/wss: to this host), and no page may frame us.
 * `next dev` also needs 'unsafe-eval' (React Refresh); a production build never gets it.
 */
export function contentSecurityPolicy(development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
    // React writes style attributes (charts, virtualised lists): inline styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

type HeaderRule = Awaited<ReturnType<NonNullable<NextConfig["headers"]>>>[number];

/** Every response (pages, assets and the proxied /api) gets these; HSTS only when reached over https. */
export function securityHeaders(development: boolean): HeaderRule[] {
  return [
    {
      source: "/:path*",
      headers: [
        { key: "Content-Security-Policy", value: contentSecurityPolicy(development) },
        { key: "X-Content-Type-Options", value: "nosniff" },
        // Same-origin pages see the full URL (host names are in ours); other sites see nothing.
        { key: "Referrer-Policy", value: "same-origin" },
        // For browsers older than frame-ancestors.
        { key: "X-Frame-Options", value: "DENY" },
      ],
    },
    {
      // Next.js itself speaks plain http; https is the TLS proxy in front of it, which says so
      // with X-Forwarded-Proto (docs/deployment.md). Over plain http HSTS would be meaningless,
      // and on localhost it would pin every other local app to https for a year.
      source: "/:path*",
      has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
      headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }],
    },
  ];
}

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages export TypeScript source; let Next compile them.
  transpilePackages: ["@certfleet/contracts"],
  // `/api/*` is forwarded to the Fastify API by `src/proxy.ts`, not by `rewrites()` here:
  // Next.js evaluates `rewrites()` once during `next build` and freezes the destination into
  // `.next/routes-manifest.json`, so a build made for one CERTFLEET_API_URL would keep proxying to
  // it when started with another (e.g. e2e on port 3101 after a normal start on 3001). The proxy reads
  // the variable on every request, so one build runs against any API.
  experimental: { proxyClientMaxBodySize: PROXY_CLIENT_MAX_BODY_SIZE },
  headers: async () => securityHeaders(process.env.NODE_ENV === "development"),
};

export default nextConfig;
