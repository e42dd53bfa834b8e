import type {
  HostExportQuery,
  HostExportRow,
  HostListItem,
  HostPage,
  TaskStatus,
} from "@certfleet/contracts";
import { OPEN_TASK_STATUSES } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import type { EstateClock } from "../estate/filters";
import { listHosts } from "../estate/hosts";

/** Rows per database round trip: big enough to amortise the query, small enough to stay a few MB. */
export const EXPORT_BATCH_SIZE = 2_000;

export interface HostExport {
  /** The host list's total for this filter, counted before the first row is streamed. */
  total: number;
  /** Every matching host in the list's order, one batch per query, fetched as the consumer pulls. */
  batches: AsyncGenerator<HostExportRow[]>;
}

/**
 * Opens an export of the host list. It pages through the list's own keyset query (listHosts), so
 * the rows, their order and the total are by construction those of GET /api/v1/hosts; the first
 * page is read here, so the total is known before anything is sent.
 */
export async function startHostExport(
  db: Database,
  query: HostExportQuery,
  clock: EstateClock,
  batchSize = EXPORT_BATCH_SIZE,
): Promise<HostExport> {
  const first = await listHosts(db, { ...query, limit: batchSize }, clock);
  return { total: first.total, batches: exportBatches(db, query, clock, batchSize, first) };
}

async function* exportBatches(
  db: Database,
  query: HostExportQuery,
  clock: EstateClock,
  batchSize: number,
  first: HostPage,
): AsyncGenerator<HostExportRow[]> {
  let page = first;
  for (;;) {
    // The next page is read while this one is decorated and consumed: at most two batches in memory.
    const next = page.nextCursor
      ? listHosts(db, { ...query, limit: batchSize, cursor: page.nextCursor }, clock)
      : null;
    // Handled here so a consumer that stops early leaves no unhandled rejection; awaited below.
    next?.catch(() => undefined);
    const extras = await exportExtras(
      db,
      page.items.map((item) => item.id),
    );
    if (page.items.length > 0) yield page.items.map((item) => toExportRow(item, extras.get(item.id)));
    if (!next) return;
    page = await next;
  }
}

interface ExportExtras {
  thumbprint: string | null;
  errorRules: string[];
  warningRules: string[];
  openTaskStatus: TaskStatus | null;
}

/** What the export shows beyond a list row, for one batch of hosts in one query. */
async function exportExtras(db: Database, ids: number[]): Promise<Map<number, ExportExtras>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<(ExportExtras & { id: number })[]>`
    SELECT h.id, c.thumbprint,
      ARRAY(SELECT DISTINCT f."ruleId" FROM "HostFinding" f
            WHERE f."hostId" = h.id AND f.severity = 'error' ORDER BY f."ruleId") AS "errorRules",
      ARRAY(SELECT DISTINCT f."ruleId" FROM "HostFinding" f
            WHERE f."hostId" = h.id AND f.severity = 'warning' ORDER BY f."ruleId") AS "warningRules",
      (SELECT t.status::text FROM "RenewalTask" t
       WHERE t."hostId" = h.id AND t.status::text = ANY(${[...OPEN_TASK_STATUSES]}::text[])
       ORDER BY t.id DESC LIMIT 1) AS "openTaskStatus"
    FROM "Host" h
    LEFT JOIN "Certificate" c ON c.sha256 = h."boundCertificateSha256"
    WHERE h.id = ANY(${ids}::int[])`;
  return new Map(rows.map(({ id, ...extras }) => [id, extras]));
}

function toExportRow(item: HostListItem, extras: ExportExtras | undefined): HostExportRow {
  const bound = item.boundCertificate;
  return {
    fqdn: item.fqdn,
    role: item.role,
    managementGroup: item.managementGroup,
    status: item.status,
    reporting: item.reporting,
    lastReportAt: item.lastReportAt,
    serialNumber: bound?.serialNumber ?? null,
    // A host deleted between the page and its extras keeps its list values and loses only these.
    thumbprint: bound ? (extras?.thumbprint ?? null) : null,
    sha256: bound?.sha256 ?? null,
    notAfter: bound?.notAfter ?? null,
    daysLeft: bound?.daysLeft ?? null,
    expiry: item.expiry,
    errorRules: extras?.errorRules ?? [],
    warningRules: extras?.warningRules ?? [],
    openTaskStatus: extras?.openTaskStatus ?? null,
  };
}
