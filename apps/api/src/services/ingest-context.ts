/** Who sent a report, passed from the route to where the report is stored. */
export interface IngestContext {
  token: { id: number; name: string } | null;
}
