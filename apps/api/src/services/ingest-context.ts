import type { TokenScopeName } from "@certfleet/contracts";

/**
 * Who is submitting a report, threaded through ingest as one object so more can join it later without
 * touching every signature. `token` is null for reports loaded without a collector (demo estate, imports).
 */
export interface IngestContext {
  token: IngestToken | null;
}

export interface IngestToken {
  id: number;
  name: string;
  /** Absent or empty lists: the token may report any host (fleet-wide). */
  scope?: TokenScope;
  /** What the token may do (reports, inventory, read); the auth plugin checks each route's need. */
  scopes: TokenScopeName[];
}

/** A collector token's limits: a report must match every non-empty list. */
export interface TokenScope {
  /** Management group names, compared case-insensitively. */
  managementGroups: string[];
  /** Lower-case FQDN suffixes starting with a dot (".dmz.contoso.com"). */
  fqdnSuffixes: string[];
}

/** Reports loaded by certfleet itself, not sent by a collector. */
export const NO_TOKEN: IngestContext = { token: null };

/** The context of a collector route: its bearer token, verified by the auth plugin. */
export function ingestContext(request: { collectorToken?: IngestToken }): IngestContext {
  return { token: request.collectorToken ?? null };
}
