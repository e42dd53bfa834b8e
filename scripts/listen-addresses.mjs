// Where `pnpm start` binds the API and the web app, and where it reaches them from this machine.
// Loopback unless CERTFLEET_API_HOST / CERTFLEET_WEB_HOST say otherwise: a first start on a bare
// machine, with the demo accounts' published passwords, must not be reachable from other machines.
// (The API validates both settings in apps/api/src/config.ts and starts first.)

/** Where this machine reaches a server bound to `host`: a wildcard bind answers on loopback. */
export function localAddress(host) {
  if (host === "0.0.0.0" || host === "::" || host === "[::]") return "127.0.0.1";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** @param {Record<string, string | undefined>} env */
export function listenAddresses(env) {
  const apiPort = env.API_PORT?.trim() || "3001";
  const webPort = env.WEB_PORT?.trim() || "3000";
  const apiHost = env.CERTFLEET_API_HOST?.trim() || "127.0.0.1";
  const webHost = env.CERTFLEET_WEB_HOST?.trim() || "127.0.0.1";
  return {
    apiPort,
    webPort,
    apiHost,
    webHost,
    apiUrl: `http://${localAddress(apiHost)}:${apiPort}`,
    webUrl: `http://${localAddress(webHost)}:${webPort}`,
    /** `next start` arguments: without -H Next.js listens on every interface. */
    nextStartArgs: ["start", "-p", webPort, "-H", webHost],
  };
}
