/**
 * Who an audit entry names. People are their e-mail; certfleet's own changes (acting on a collector
 * report) name the collector token that sent the report, which the API records as `after.reportedBy`.
 */
export function actorLabel(entry: { actor: string | null; after: unknown }): string {
  if (entry.actor) return entry.actor;
  const reportedBy = (entry.after as { reportedBy?: { tokenName?: unknown } } | null)?.reportedBy;
  return typeof reportedBy?.tokenName === "string"
    ? `certfleet (report from token "${reportedBy.tokenName}")`
    : "certfleet";
}
