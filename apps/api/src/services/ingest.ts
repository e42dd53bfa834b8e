import type { Finding, IngestResult, Report } from "@certfleet/contracts";
import {
  type CandidateCertificateEvidence,
  certificateAuthRequirement,
  type EvaluationSettings,
  evaluateHost,
  findBoundCertificate,
  type HostEvaluation,
  isScomSelfSignedCertificate,
  type ParsedCertificate,
  primaryManagementGroup,
  type ReportingTokens,
} from "@certfleet/core";
import type { Database, Prisma } from "@certfleet/db";
import { TimeSlice } from "../lib/time-slice";
import { ProblemError } from "../problem";
import { uniqueViolation } from "../unique-violation";
import {
  type DecodedCertificate,
  decodeCertificates,
  loadStoredCertificates,
  parseFreshCertificates,
} from "./certificates";
import { recordChangeEvents } from "./change-events";
import { type BoundHolder, holderQueries, isCountedHolder, silentCutoff } from "./duplicate-holders";
import {
  type BatchState,
  hostsBoundTo,
  insertCertificates,
  type KnownHost,
  lockHosts,
  type RoundItem,
  readBatchState,
  reportKey,
  writeRound,
} from "./host-state";
import type { IngestContext } from "./ingest-context";
import { ingestTransaction, rawQueries } from "./raw-sql";
import { evaluationTime, refuseFutureReport } from "./report-clock";
import { applyRenewalDecisions, type ReportedRenewalState } from "./tasks/renewal-on-report";
import { assertReportInScope } from "./token-scope";
import { recordTokenPairs, reportingTokensForMany } from "./token-sightings";

type Tx = Prisma.TransactionClient;

export interface IngestOutcome {
  /** false when the same report (host + collectedAt) was already stored: nothing was written. */
  created: boolean;
  result: IngestResult;
}

/**
 * What ingest needs besides the rule settings: CERTFLEET_SILENT_AFTER_HOURS, since a host silent past it
 * no longer counts as holding a certificate for the duplicate rule.
 */
export interface IngestSettings extends EvaluationSettings {
  silentAfterHours: number;
}

/** One report of a batch: stored (or replayed), or refused with the problem it would get alone. */
export type IngestItemOutcome = { ok: true; outcome: IngestOutcome } | { ok: false; problem: ProblemError };

/** FQDNs are case-insensitive and a trailing dot is the same name: store one spelling. */
export function normaliseFqdn(fqdn: string): string {
  return fqdn.trim().toLowerCase().replace(/\.$/, "");
}

/** The duplicate rule names at most this many other hosts. */
const OTHER_HOSTS_LIMIT = 25;
/** A batch of 1,000 fresh reports takes a few seconds on a loaded 2-core machine; this is the backstop. */
const TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;
/**
 * The two unique indexes two racing ingests can hit: equal reports (Report hostId+collectedAt) and a new
 * host's first reports (Host fqdn). The per-host lock prevents both between current instances; a retry,
 * once, covers a writer that does not take it. Any other conflict is a 409 from the error handler.
 */
const RETRYABLE_CONFLICT = /\b(Report_hostId_collectedAt_key|Host_fqdn_key)\b/;

/**
 * Evaluates and stores contract-valid reports, set-based: every distinct certificate is decoded and
 * parsed once, and all reports are written in one transaction with one round of statements (more only
 * when a host appears more than once: its reports are applied in collectedAt order, one per round).
 * Under per-host locks, a report changes its host's current state only when it is the host's newest;
 * every report goes to the append-only history. Answers one outcome per report, in order.
 */
export async function ingestReports(
  db: Database,
  reports: Report[],
  settings: IngestSettings,
  context: IngestContext,
): Promise<IngestItemOutcome[]> {
  const outcomes: IngestItemOutcome[] = new Array(reports.length);
  const { accepted, fresh } = await prepare(db, reports, outcomes, context);
  if (accepted.length === 0) return outcomes;

  let written: WriteResult;
  try {
    written = await ingestTransaction(
      db,
      (tx) => writeAll(tx, accepted, fresh, settings, context),
      TRANSACTION,
    );
  } catch (error) {
    const conflict = uniqueViolation(error);
    if (!conflict || !RETRYABLE_CONFLICT.test(conflict.text)) throw error;
    // Once: the retry reads what the other writer stored (the same report, or the host it created).
    written = await db.$transaction((tx) => writeAll(tx, accepted, fresh, settings, context), TRANSACTION);
  }

  for (const [position, item] of accepted.entries()) {
    const stored = written.items[position] as ItemWrite;
    if (stored.kind === "created") {
      const result = toResult(stored.hostId, item, stored.status, stored.evaluation);
      outcomes[item.index] = { ok: true, outcome: { created: true, result } };
      continue;
    }
    const hostId = written.hosts.get(item.fqdn)?.id;
    const replay = hostId === undefined ? null : await replayStoredReport(db, hostId, item.collectedAt);
    if (!replay) throw new Error(`report of ${item.fqdn} at ${item.report.collectedAt} vanished`);
    outcomes[item.index] = { ok: true, outcome: { created: false, result: replay } };
  }
  return outcomes;
}

/** A contract-valid report whose certificates decoded and parsed. */
interface Prepared {
  /** Position in the caller's list. */
  index: number;
  report: Report;
  fqdn: string;
  collectedAt: Date;
  evidence: CandidateCertificateEvidence[];
  /**
   * The certificate this report holds for the duplicate rule (pure, so known before the transaction): the
   * one the registry names, unless it is SCOM's own self-signed certificate in the "Operations Manager"
   * store, which is never a duplicate (issue 13).
   */
  heldSha256: string | null;
  /** DER of the report's certificates by sha256, for the server-side chain check against trust anchors. */
  certificateDer: Map<string, Buffer>;
  /** Other collector tokens that reported this host within a day (collector-tokens rule). */
  reportingTokens?: ReportingTokens;
}

/**
 * Checks each report against its token's scope and the clock, decodes every report's certificates and
 * parses each distinct new one once (stored ones come from the database in one query). Refusals go
 * straight into `outcomes`; nothing is written here.
 */
async function prepare(
  db: Database,
  reports: Report[],
  outcomes: IngestItemOutcome[],
  context: IngestContext,
): Promise<{ accepted: Prepared[]; fresh: { decoded: DecodedCertificate; parsed: ParsedCertificate }[] }> {
  const refuse = (index: number, error: unknown) => {
    if (!(error instanceof ProblemError)) throw error;
    outcomes[index] = { ok: false, problem: error };
  };
  const decodedLists = reports.map((report, index) => {
    try {
      assertReportInScope(context.token, report);
      refuseFutureReport(report);
      return decodeCertificates(report);
    } catch (error) {
      refuse(index, error);
      return null;
    }
  });
  // The two reads before the transaction go out together (two pool connections): one round trip of
  // waiting instead of two for every group of single reports. The token read covers every report that
  // passed the checks above; a report refused below just leaves its answer unused.
  const identities = reports.map((report, index) =>
    decodedLists[index]
      ? { index, fqdn: normaliseFqdn(report.host.fqdn), collectedAt: new Date(report.collectedAt) }
      : null,
  );
  const checked = identities.filter((identity) => identity !== null);
  const [parsed, reportingTokens] = await Promise.all([
    loadStoredCertificates(
      rawQueries(db),
      decodedLists.flatMap((decoded) => decoded?.map((item) => item.sha256) ?? []),
    ),
    reportingTokensForMany(rawQueries(db), checked, context.token),
  ]);
  const tokensByIndex = new Map(checked.map((item, position) => [item.index, reportingTokens[position]]));
  const freshByHash = new Map<string, DecodedCertificate>();
  const accepted: Prepared[] = [];
  const slice = new TimeSlice();
  for (const [index, report] of reports.entries()) {
    const decoded = decodedLists[index];
    const identity = identities[index];
    if (!decoded || !identity) continue;
    try {
      await parseFreshCertificates(decoded, parsed, freshByHash, slice);
    } catch (error) {
      refuse(index, error);
      continue;
    }
    const evidence = report.certificates.map((candidate, position): CandidateCertificateEvidence => {
      const { der: _der, ...facts } = candidate;
      const sha256 = (decoded[position] as DecodedCertificate).sha256;
      return { certificate: parsed.get(sha256) as ParsedCertificate, facts };
    });
    const bound = findBoundCertificate(report.registry, evidence);
    const heldSha256 =
      bound && !isScomSelfSignedCertificate(bound.evidence) ? bound.evidence.certificate.sha256 : null;
    const certificateDer = new Map(decoded.map((item) => [item.sha256, item.der]));
    accepted.push({
      index,
      report,
      fqdn: identity.fqdn,
      collectedAt: identity.collectedAt,
      evidence,
      heldSha256,
      certificateDer,
      reportingTokens: tokensByIndex.get(index),
    });
  }
  // Only certificates of accepted reports are stored: a refused report changes nothing.
  const used = new Set(accepted.flatMap((item) => item.evidence.map((e) => e.certificate.sha256)));
  const fresh = [...freshByHash.values()]
    .filter((decoded) => used.has(decoded.sha256))
    .map((decoded) => ({ decoded, parsed: parsed.get(decoded.sha256) as ParsedCertificate }));
  return { accepted, fresh };
}

type ItemWrite =
  | { kind: "created"; hostId: number; status: IngestResult["host"]["status"]; evaluation: HostEvaluation }
  | { kind: "replay" };

interface WriteResult {
  /** Per accepted report, in the same order. */
  items: ItemWrite[];
  /** Every host of the batch as it stands at commit. */
  hosts: Map<string, KnownHost>;
}

/**
 * The transaction: per-host locks first (so "newest" is decided on current rows), then rounds of
 * set-based writes. Round n holds the n-th report (in collectedAt order) of each host in the batch.
 */
async function writeAll(
  tx: Tx,
  accepted: Prepared[],
  fresh: { decoded: DecodedCertificate; parsed: ParsedCertificate }[],
  settings: IngestSettings,
  context: IngestContext,
): Promise<WriteResult> {
  const tokenId = context.token?.id ?? null;
  const reportedBy = context.token ? { tokenId: context.token.id, tokenName: context.token.name } : null;
  const slice = new TimeSlice();
  await lockHosts(
    tx,
    accepted.map((item) => item.fqdn),
  );
  await insertCertificates(tx, fresh);
  const { hosts, stored, groupIds, groupCertificateAuth, bound } = await readBatchState(
    tx,
    accepted,
    accepted.flatMap((item) => {
      const group = primaryManagementGroup(item.report.host);
      return group ? [group.name] : [];
    }),
    holderQueries(heldBy(accepted), settings.silentAfterHours),
    OTHER_HOSTS_LIMIT + 1,
  );

  const now = new Date();
  const items: ItemWrite[] = new Array(accepted.length);
  const changes: { hostId: number; taskId: number | null }[] = [];
  for (const [n, round] of rounds(accepted).entries()) {
    const pending: { position: number; item: Prepared }[] = [];
    for (const position of round) {
      const item = accepted[position] as Prepared;
      const key = reportKey(item.fqdn, item.collectedAt);
      // Already stored, or an equal report earlier in this batch: answered as a replay.
      if (stored.has(key)) items[position] = { kind: "replay" };
      else {
        stored.add(key);
        pending.push({ position, item });
      }
    }
    if (pending.length === 0) continue;
    // Later rounds see what earlier ones bound (a host reported twice may have moved certificate).
    const boundNow =
      n === 0
        ? bound
        : await hostsBoundTo(
            tx,
            holderQueries(heldBy(pending.map(({ item }) => item)), settings.silentAfterHours),
            OTHER_HOSTS_LIMIT + 1,
          );
    const roundItems = await evaluateRound(
      pending,
      hosts,
      boundNow,
      { groupIds, groupCertificateAuth },
      settings,
      slice,
    );
    // Hosts created by this round have no renewal task yet: no need to look for one.
    const existedBefore = new Set(roundItems.flatMap((item) => (item.hostId === null ? [] : [item.hostId])));
    await writeRound(tx, roundItems, now, tokenId);
    for (const item of roundItems) {
      const { collectedAt, fqdn, evaluation } = item;
      await recordTokenPairs(tx, item.hostId as number, {
        tokenId,
        collectedAt,
        fqdn,
        findings: evaluation.findings,
      });
    }

    const newest = roundItems.filter((item) => item.newest);
    const renewals = await applyRenewalDecisions(
      tx,
      newest.map((item) => ({
        hostId: item.hostId as number,
        state: { ...renewalState(item), reportedBy },
        mayHaveTask: existedBefore.has(item.hostId as number),
      })),
      now,
    );
    for (const [i, item] of roundItems.entries()) {
      const hostId = item.hostId as number;
      const known = hosts.get(item.fqdn);
      if (item.newest || !known) {
        hosts.set(item.fqdn, {
          id: hostId,
          lastReportAt: item.collectedAt,
          status: item.evaluation.status,
          certificateAuthSetting: known?.certificateAuthSetting ?? null,
        });
      }
      const status = item.newest ? item.evaluation.status : (known?.status ?? item.evaluation.status);
      items[(pending[i] as { position: number }).position] = {
        kind: "created",
        hostId,
        status,
        evaluation: item.evaluation,
      };
      changes.push({ hostId, taskId: null });
    }
    for (const renewal of renewals) changes.push(renewal);
  }
  // Last, after the writes that gave this transaction its id (ADR 0004: change events need no lock).
  await recordChangeEvents(tx, changes);
  return { items, hosts };
}

const heldBy = (items: Prepared[]) =>
  items.map((item) => ({ heldSha256: item.heldSha256, collectedAt: item.collectedAt }));

/** Positions of `accepted` grouped into rounds: the n-th report of every host (by collectedAt) in round n. */
function rounds(accepted: Prepared[]): number[][] {
  const byHost = new Map<string, number[]>();
  for (const [position, item] of accepted.entries()) {
    byHost.set(item.fqdn, [...(byHost.get(item.fqdn) ?? []), position]);
  }
  const result: number[][] = [];
  for (const positions of byHost.values()) {
    // Stable: equal collectedAt keep batch order (the second is then a replay of the first).
    positions.sort(
      (a, b) =>
        (accepted[a] as Prepared).collectedAt.getTime() - (accepted[b] as Prepared).collectedAt.getTime(),
    );
    positions.forEach((position, n) => {
      result[n] = [...(result[n] ?? []), position];
    });
  }
  return result.map((round) => round.sort((a, b) => a - b));
}

/**
 * Evaluates one round with the SCOM rules. The duplicate rule needs the hosts bound to the same
 * certificate: read once for the round (`boundNow`), then adjusted for the reports before each one in the round,
 * so the outcome is the one posting them one by one would give. A holder counts only if it reported within
 * the silent threshold before the report evaluated (duplicate-holders.ts).
 */
async function evaluateRound(
  pending: { item: Prepared }[],
  hosts: Map<string, KnownHost>,
  boundNow: Map<string, BoundHolder[]>,
  groups: Pick<BatchState, "groupIds" | "groupCertificateAuth">,
  settings: IngestSettings,
  slice: TimeSlice,
): Promise<RoundItem[]> {
  const withBound = pending.map(({ item }) => {
    const known = hosts.get(item.fqdn);
    const newest = !known?.lastReportAt || item.collectedAt >= known.lastReportAt;
    return { item, known, newest, boundSha: item.heldSha256 };
  });
  // fqdn → the certificate it is bound to now, for hosts this round re-binds.
  const movedTo = new Map<string, string | null>();
  // The same, by certificate: the hosts this round has bound to it so far. A host appears at most once
  // per round, so entries are only ever added; scanning movedTo per report was quadratic in the batch.
  const joinedBySha = new Map<string, BoundHolder[]>();

  const evaluated: RoundItem[] = [];
  for (const { item, known, newest, boundSha } of withBound) {
    // Evaluating 1,000 hosts takes a few hundred ms: other requests get their turns meanwhile.
    await slice.yieldIfSpent();
    let others: string[] = [];
    if (boundSha) {
      const cutoff = silentCutoff(item.collectedAt, settings.silentAfterHours);
      const stillBound = (boundNow.get(boundSha) ?? []).filter(
        ({ fqdn }) => !movedTo.has(fqdn) || movedTo.get(fqdn) === boundSha,
      );
      const joined = joinedBySha.get(boundSha) ?? [];
      const counted = [...stillBound, ...joined].filter((holder) => isCountedHolder(holder, cutoff));
      others = [...new Set(counted.map((holder) => holder.fqdn))]
        .filter((fqdn) => fqdn !== item.fqdn)
        .sort()
        .slice(0, OTHER_HOSTS_LIMIT);
    }
    if (newest) {
      movedTo.set(item.fqdn, boundSha);
      const holder = { fqdn: item.fqdn, lastReportAt: item.collectedAt };
      const joined = boundSha ? joinedBySha.get(boundSha) : undefined;
      if (joined) joined.push(holder);
      else if (boundSha) joinedBySha.set(boundSha, [holder]);
    }
    const { report, fqdn, collectedAt, evidence } = item;
    const reportedCas = evidence.map((e) => e.certificate).filter((certificate) => certificate.isCa);
    const group = primaryManagementGroup(report.host)?.name;
    // Read from the host's and its group's settings at this report: a changed setting applies here.
    const authentication = certificateAuthRequirement({
      role: report.host.role,
      domainJoined: report.host.domainJoined,
      hostSetting: known?.certificateAuthSetting ?? null,
      groupSetting: group ? (groups.groupCertificateAuth.get(group) ?? null) : null,
    });
    const evaluation = evaluateHost({
      host: {
        fqdn,
        role: report.host.role,
        domainJoined: report.host.domainJoined,
        dnsHostName: report.host.dnsHostName ?? null,
        certificateAuthRequired: authentication.required,
      },
      registry: report.registry,
      certificates: evidence,
      events: report.events,
      collectedAt: evaluationTime(collectedAt),
      settings,
      otherHostsBoundToSameCertificate: others,
      issuerCandidates: [...settings.trustAnchors.map((anchor) => anchor.certificate), ...reportedCas],
      certificateDer: item.certificateDer,
      reportingTokens: item.reportingTokens,
    });
    evaluated.push({
      report,
      fqdn,
      collectedAt,
      evaluation,
      evidence,
      managementGroupId: group ? (groups.groupIds.get(group) ?? null) : null,
      hostId: known?.id ?? null,
      newest,
    });
  }
  return evaluated;
}

/** The report's side of the renewal decision; when the binding was first seen comes from its history. */
function renewalState(item: RoundItem): Omit<ReportedRenewalState, "reportedBy"> {
  const bound = item.evaluation.bound?.evidence.certificate ?? null;
  return {
    boundSha256: bound?.sha256 ?? null,
    boundNotAfter: bound ? new Date(bound.notAfter) : null,
    boundNotBefore: bound ? new Date(bound.notBefore) : null,
    collectedAt: item.collectedAt,
    findings: item.evaluation.findings,
    events: item.report.events,
  };
}

/** The answer to a report that was already stored, rebuilt from what was stored (no re-evaluation). */
async function replayStoredReport(
  db: Database,
  hostId: number,
  collectedAt: Date,
): Promise<IngestResult | null> {
  const stored = await db.report.findUnique({
    where: { hostId_collectedAt: { hostId, collectedAt } },
    select: {
      findings: true,
      status: true,
      boundCertificateSha256: true,
      host: { select: { id: true, fqdn: true, role: true, status: true } },
    },
  });
  if (!stored) return null;
  const certificate = stored.boundCertificateSha256
    ? await db.certificate.findUnique({
        where: { sha256: stored.boundCertificateSha256 },
        select: { sha256: true, serialNumber: true, notAfter: true },
      })
    : null;
  return {
    // The host has reported (this very report), so its status is set; the fallback is for the type.
    host: { ...stored.host, status: stored.host.status ?? stored.status },
    boundCertificate: certificate
      ? {
          sha256: certificate.sha256,
          serialNumber: certificate.serialNumber,
          notAfter: certificate.notAfter.toISOString(),
        }
      : null,
    findings: stored.findings as unknown as Finding[],
  };
}

function toResult(
  hostId: number,
  item: Prepared,
  status: IngestResult["host"]["status"],
  evaluation: HostEvaluation,
): IngestResult {
  const bound = evaluation.bound?.evidence.certificate;
  return {
    host: { id: hostId, fqdn: item.fqdn, role: item.report.host.role, status },
    boundCertificate: bound
      ? {
          sha256: bound.sha256,
          serialNumber: bound.serialNumber,
          notAfter: new Date(bound.notAfter).toISOString(),
        }
      : null,
    findings: evaluation.findings.map(({ ruleId, severity, message, remediation }) => ({
      ruleId,
      severity,
      message,
      remediation,
    })),
  };
}
