/**
 * Which other hosts count as holding a certificate for the duplicate rule (issue 13, "Duplicate": "hosts
 * silent past the silent threshold, or retired, do not count"). A host that stopped reporting may have been
 * rebuilt or switched off with its old binding still on file; naming it beside a live host's certificate
 * would be an error nobody can clear.
 */

const HOUR_MS = 3_600_000;

/** A host bound to a certificate, as the duplicate lookup reads it. */
export interface BoundHolder {
  fqdn: string;
  /** collectedAt of the host's newest report. */
  lastReportAt: Date | null;
}

/**
 * The oldest newest-report a holder may have and still count, for a report collected at `collectedAt`:
 * silence is judged relative to the report being evaluated, not the server clock, so a batch replayed
 * later gives the answer it gave when it was sent (CERTFLEET_SILENT_AFTER_HOURS).
 */
export function silentCutoff(collectedAt: Date, silentAfterHours: number): Date {
  return new Date(collectedAt.getTime() - silentAfterHours * HOUR_MS);
}

/**
 * Whether `holder` counts as another holder for a report whose cutoff is `cutoff`. Retired hosts are left
 * out by the lookup itself (host-state.ts, holdersOf); a holder reporting in the same batch is not retired,
 * since its report brings it back.
 */
export function isCountedHolder(holder: BoundHolder, cutoff: Date): boolean {
  return holder.lastReportAt !== null && holder.lastReportAt.getTime() >= cutoff.getTime();
}

/** What the lookup asks for: per certificate, the earliest cutoff any report of the round needs. */
export interface HolderQuery {
  sha256: string;
  since: Date;
}

/**
 * One query per certificate, with the earliest cutoff among the reports bound to it, so the database
 * returns every holder any of them counts (each report then applies its own cutoff). Sorted by sha256.
 */
export function holderQueries(
  reports: { heldSha256: string | null; collectedAt: Date }[],
  silentAfterHours: number,
): HolderQuery[] {
  const since = new Map<string, Date>();
  for (const { heldSha256, collectedAt } of reports) {
    if (!heldSha256) continue;
    const cutoff = silentCutoff(collectedAt, silentAfterHours);
    const earliest = since.get(heldSha256);
    if (!earliest || cutoff < earliest) since.set(heldSha256, cutoff);
  }
  return [...since]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sha256, date]) => ({ sha256, since: date }));
}
