import type { ReportingTokens } from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";
import { recordAudit } from "./audit";
import type { IngestToken } from "./ingest-context";

type Tx = Prisma.TransactionClient;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A host normally has one collector. When reports of the same host collected within a day of each other
 * came with different tokens, the host gets an info finding (rule collector-tokens) and, once per new pair
 * of tokens per day, an audit entry. The lookup rides the (hostId, collectedAt) index of Report.
 */

interface TokenRow {
  id: number;
  name: string;
}

/** Tokens of two different ids may share a name; the finding must still name two tokens. */
function displayName(token: TokenRow, clash: boolean): string {
  return clash ? `${token.name} (#${token.id})` : token.name;
}

/**
 * The other tokens that reported each host within a day of its report's `collectedAt` (undefined
 * without a token), for every report of one request in one statement: one answer per item, in order.
 * Hosts are matched by their stored (normalised) FQDN.
 */
export async function reportingTokensForMany(
  db: Pick<Database, "$queryRaw">,
  items: readonly { fqdn: string; collectedAt: Date }[],
  token: IngestToken | null,
): Promise<(ReportingTokens | undefined)[]> {
  if (!token || items.length === 0) return items.map(() => undefined);
  // Per item, LATERAL (LIMIT 1 keeps the planner from flattening the host lookup): index probes for the
  // batch's hosts only. As plain joins the planner hashed them against a scan of all of Report, which
  // grows with the history (a parallel seq scan of every report, for every batch).
  const rows = await db.$queryRaw<(TokenRow & { position: number })[]>`
    SELECT DISTINCT i.position::int AS "position", t."id", t."name"
    FROM unnest(${items.map((item) => item.fqdn)}::text[], ${items.map((item) => item.collectedAt)}::timestamp[])
      WITH ORDINALITY AS i(fqdn, collected_at, position)
    CROSS JOIN LATERAL (SELECT "id" FROM "Host" WHERE "fqdn" = i.fqdn LIMIT 1) AS h
    CROSS JOIN LATERAL (
      SELECT DISTINCT r."tokenId" FROM "Report" r
      WHERE r."hostId" = h."id" AND r."tokenId" <> ${token.id}::int
        AND r."collectedAt" > i.collected_at - interval '1 day' AND r."collectedAt" < i.collected_at + interval '1 day'
    ) AS r
    JOIN "ApiToken" t ON t."id" = r."tokenId"
    ORDER BY 1, 2`;
  return items.map((_, index) => {
    const others = rows.filter((row) => row.position === index + 1).slice(0, 10);
    const clash = (row: TokenRow) => row.name === token.name;
    return {
      current: displayName(token, others.some(clash)),
      others: others.map((row) => displayName(row, clash(row))),
    };
  });
}

/**
 * Records each new (host, token pair, UTC day) once and audits it. The primary key of HostTokenPair is the
 * "once": two instances ingesting for the same host at once cannot both insert the same pair.
 * Called inside the ingest transaction, after the report row exists; a no-op unless the evaluation found
 * a second token (so the common single-token report pays nothing).
 */
export async function recordTokenPairs(
  tx: Tx,
  hostId: number,
  change: { tokenId: number | null; collectedAt: Date; fqdn: string; findings: { ruleId: string }[] },
): Promise<void> {
  const { tokenId, collectedAt } = change;
  if (tokenId === null || !change.findings.some((finding) => finding.ruleId === "collector-tokens")) return;
  const created = await tx.$queryRaw<{ firstTokenId: number; secondTokenId: number }[]>`
    INSERT INTO "HostTokenPair" ("hostId", "firstTokenId", "secondTokenId", "day")
    SELECT DISTINCT ${hostId}::int, LEAST(${tokenId}::int, r."tokenId"), GREATEST(${tokenId}::int, r."tokenId"),
      (now() AT TIME ZONE 'UTC')::date
    FROM "Report" r
    WHERE r."hostId" = ${hostId}::int AND r."tokenId" IS NOT NULL AND r."tokenId" <> ${tokenId}::int
      AND r."collectedAt" > ${new Date(collectedAt.getTime() - DAY_MS)}
      AND r."collectedAt" < ${new Date(collectedAt.getTime() + DAY_MS)}
    ON CONFLICT DO NOTHING
    RETURNING "firstTokenId", "secondTokenId"`;
  if (created.length === 0) return;
  const ids = [...new Set(created.flatMap((pair) => [pair.firstTokenId, pair.secondTokenId]))];
  const tokens = await tx.apiToken.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const byId = new Map(tokens.map((token) => [token.id, token]));
  for (const pair of created) {
    await recordAudit(tx, null, {
      action: "host.collector_tokens",
      entityType: "host",
      entityId: hostId,
      after: {
        fqdn: change.fqdn,
        tokens: [byId.get(pair.firstTokenId), byId.get(pair.secondTokenId)],
        why: "Two collector tokens reported this host within a day.",
      },
    });
  }
}
