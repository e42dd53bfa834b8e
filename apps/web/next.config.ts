import type { NextConfig } from "next";

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
};

export default nextConfig;
