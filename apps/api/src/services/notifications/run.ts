import { randomUUID } from "node:crypto";
import type { NotificationRunResult } from "@certfleet/contracts";
import {
  type BoundCertificate,
  DAY_MS,
  dueExpiryNotifications,
  type ErrorFinding,
  newErrorFindings,
  newErrorKey,
} from "@certfleet/core";
import type { Database, NotificationChannel, Prisma } from "@certfleet/db";
import type { NotificationsConfig } from "../../config";
import { CLAIM_LEASE_MS, deliverMessages, type RetryPolicy } from "./delivery";
import { type ExpiryItem, hostUrl, type NewErrorItem } from "./messages";
import { readThresholds } from "./settings";

const BATCH = 1000;
/** Serialises new-error bookkeeping across instances (no unique key can express "per rule"). */
const NEW_ERROR_LOCK = 0x63666e6577; // "cfnew"

export interface RunOptions {
  /** "immediate": the hourly run (per-certificate channels); "digest": the daily digest; "all": run now. */
  channels: "all" | "immediate" | "digest";
  retry: RetryPolicy;
}

interface PendingRow {
  channelId: number;
  kind: string;
  certificateSha256: string | null;
  hostFqdn: string;
  thresholdDays: number | null;
  messageId: string;
  payload: Prisma.InputJsonValue;
  status: "pending";
  claimToken: string;
  claimedUntil: Date;
}

/** Rows are inserted already claimed by the run that will deliver them; the sweeper takes them if it dies. */
function claimFor(claimToken: string): { claimToken: string; claimedUntil: Date } {
  return { claimToken, claimedUntil: new Date(Date.now() + CLAIM_LEASE_MS) };
}

/** One message id per digest channel per run; a fresh one per row otherwise. */
function messageIdFor(channel: NotificationChannel, digestIds: Map<number, string>): string {
  if (!channel.digest) return randomUUID();
  let id = digestIds.get(channel.id);
  if (!id) {
    id = randomUUID();
    digestIds.set(channel.id, id);
  }
  return id;
}

/**
 * Decides and sends expiry warnings (and new-error notices) for every enabled channel.
 *
 * Rows are inserted before anything is sent, with INSERT … ON CONFLICT DO NOTHING on
 * (channel, kind, certificate, threshold): whichever run inserts a row owns it, so two instances
 * running at once never send the same warning twice. Only then are the owned rows delivered.
 * The inserted rows are the outbox: if this instance dies before delivering them, they stay
 * `pending`, their claim runs out, and the sweeper delivers them.
 */
export async function runExpiryNotifications(
  db: Database,
  config: NotificationsConfig,
  now: Date,
  options: RunOptions,
): Promise<NotificationRunResult> {
  const claimToken = randomUUID();
  const { result, messageIds } = await recordExpiryNotifications(db, config, now, {
    channels: options.channels,
    claimToken,
  });
  const counts = await deliverMessages(db, config, messageIds, options.retry, claimToken);
  return { ...result, ...counts };
}

/**
 * The first half of a run: decides what is due and inserts it as pending messages claimed by
 * `claimToken`, sending nothing. Answers the counts and the message ids to deliver.
 */
export async function recordExpiryNotifications(
  db: Database,
  config: NotificationsConfig,
  now: Date,
  options: { channels: RunOptions["channels"]; claimToken: string },
): Promise<{ result: NotificationRunResult; messageIds: string[] }> {
  const channels = (
    await db.notificationChannel.findMany({ where: { enabled: true }, orderBy: { id: "asc" } })
  )
    .filter((channel) => options.channels === "all" || channel.digest === (options.channels === "digest"))
    // An e-mail channel without SMTP waits: its warnings go out once SMTP is configured.
    .filter((channel) => channel.kind !== "email" || config.smtp !== null);
  const result: NotificationRunResult = {
    channels: channels.length,
    certificates: 0,
    due: 0,
    newErrors: 0,
    messages: 0,
    delivered: 0,
    failed: 0,
    pending: 0,
  };
  if (channels.length === 0) return { result, messageIds: [] };
  const thresholds = await readThresholds(db);
  const digestIds = new Map<number, string>();
  const messageIds = new Set<string>();
  const claim = { digestIds, claimToken: options.claimToken };

  const cutoff = new Date(now.getTime() + ((thresholds[0] ?? 0) + 1) * DAY_MS);
  for await (const certificates of boundCertificatesBefore(db, cutoff)) {
    result.certificates += certificates.length;
    const inserted = await recordDueExpiry(db, config, channels, certificates, thresholds, now, claim);
    result.due += inserted.length;
    for (const id of inserted) messageIds.add(id);
  }

  const errorChannels = channels.filter((channel) => channel.notifyNewErrors);
  if (errorChannels.length > 0) {
    for await (const findings of errorFindings(db)) {
      const inserted = await recordNewErrors(db, config, errorChannels, findings, claim);
      result.newErrors += inserted.length;
      for (const id of inserted) messageIds.add(id);
    }
  }

  result.messages = messageIds.size;
  return { result, messageIds: [...messageIds] };
}

/** How a run labels the rows it inserts: digest message ids, and its claim on them. */
interface RunClaim {
  digestIds: Map<number, string>;
  claimToken: string;
}

/** Hosts' bound certificates expiring before `cutoff` (expired ones included), in id order. */
async function* boundCertificatesBefore(db: Database, cutoff: Date): AsyncGenerator<BoundCertificate[]> {
  let afterId = 0;
  for (;;) {
    const hosts = await db.host.findMany({
      where: { id: { gt: afterId }, boundCertificateSha256: { not: null }, boundNotAfter: { lt: cutoff } },
      select: {
        id: true,
        fqdn: true,
        role: true,
        boundNotAfter: true,
        boundCertificate: { select: { sha256: true, serialNumber: true } },
      },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    const certificates: BoundCertificate[] = [];
    for (const host of hosts) {
      if (!host.boundCertificate || !host.boundNotAfter) continue;
      certificates.push({
        hostFqdn: host.fqdn,
        role: host.role,
        certificateSha256: host.boundCertificate.sha256,
        serialNumber: host.boundCertificate.serialNumber,
        notAfter: host.boundNotAfter,
      });
    }
    if (certificates.length > 0) yield certificates;
    const last = hosts.at(-1);
    if (!last || hosts.length < BATCH) return;
    afterId = last.id;
  }
}

/** Inserts the due rows (skipping any another run already inserted) and answers their message ids. */
async function recordDueExpiry(
  db: Database,
  config: NotificationsConfig,
  channels: readonly NotificationChannel[],
  certificates: readonly BoundCertificate[],
  thresholds: readonly number[],
  now: Date,
  { digestIds, claimToken }: RunClaim,
): Promise<string[]> {
  const shas = [...new Set(certificates.map((certificate) => certificate.certificateSha256))];
  const sentRows = await db.notificationSent.findMany({
    where: {
      channelId: { in: channels.map((channel) => channel.id) },
      // Both kinds count: a channel switched between digest and per-certificate keeps its history.
      kind: { in: ["expiry", "digest"] },
      certificateSha256: { in: shas },
    },
    select: { channelId: true, certificateSha256: true, thresholdDays: true },
  });
  const rows: PendingRow[] = [];
  for (const channel of channels) {
    const sent = new Map<string, number[]>();
    for (const row of sentRows) {
      if (row.channelId !== channel.id || row.certificateSha256 === null || row.thresholdDays === null)
        continue;
      sent.set(row.certificateSha256, [...(sent.get(row.certificateSha256) ?? []), row.thresholdDays]);
    }
    for (const due of dueExpiryNotifications(certificates, thresholds, now, sent)) {
      const item: ExpiryItem = {
        type: "expiry",
        host: due.certificate.hostFqdn,
        role: due.certificate.role,
        certificateSha256: due.certificate.certificateSha256,
        serialNumber: due.certificate.serialNumber,
        notAfter: due.certificate.notAfter.toISOString(),
        daysLeft: due.daysLeft,
        expired: due.expired,
        thresholdDays: due.thresholdDays,
        covers: due.covers,
        url: hostUrl(config.publicUrl, due.certificate.hostFqdn),
      };
      rows.push({
        channelId: channel.id,
        kind: channel.digest ? "digest" : "expiry",
        certificateSha256: due.certificate.certificateSha256,
        hostFqdn: due.certificate.hostFqdn,
        thresholdDays: due.thresholdDays,
        messageId: messageIdFor(channel, digestIds),
        payload: item as unknown as Prisma.InputJsonValue,
        status: "pending",
        ...claimFor(claimToken),
      });
    }
  }
  if (rows.length === 0) return [];
  // ON CONFLICT DO NOTHING: only the rows this run inserted come back, and only those are sent.
  const inserted = await db.notificationSent.createManyAndReturn({
    data: rows,
    skipDuplicates: true,
    select: { messageId: true },
  });
  return inserted.map((row) => row.messageId as string);
}

/** Error findings of every host's newest report, host by host, in batches. */
async function* errorFindings(db: Database): AsyncGenerator<ErrorFinding[]> {
  let afterId = 0n;
  for (;;) {
    const rows = await db.hostFinding.findMany({
      where: { id: { gt: afterId }, severity: "error" },
      select: {
        id: true,
        ruleId: true,
        message: true,
        host: { select: { fqdn: true, role: true, boundCertificateSha256: true } },
      },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (rows.length > 0)
      yield rows.map((row) => ({
        hostFqdn: row.host.fqdn,
        role: row.host.role,
        certificateSha256: row.host.boundCertificateSha256,
        ruleId: row.ruleId,
        message: row.message,
      }));
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) return;
    afterId = last.id;
  }
}

/**
 * New-error rows: the unique key cannot name the rule (thresholdDays is NULL for these, and NULLs
 * never conflict), so "once per channel × host × certificate × rule" is checked here, under a
 * transaction-scoped advisory lock that makes concurrent runs take turns.
 */
async function recordNewErrors(
  db: Database,
  config: NotificationsConfig,
  channels: readonly NotificationChannel[],
  findings: readonly ErrorFinding[],
  { digestIds, claimToken }: RunClaim,
): Promise<string[]> {
  const fqdns = [...new Set(findings.map((finding) => finding.hostFqdn))];
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NEW_ERROR_LOCK}::bigint)`;
    const notifiedRows = await tx.notificationSent.findMany({
      where: {
        channelId: { in: channels.map((channel) => channel.id) },
        kind: "new-error",
        hostFqdn: { in: fqdns },
      },
      select: { channelId: true, hostFqdn: true, certificateSha256: true, payload: true },
    });
    const rows: PendingRow[] = [];
    for (const channel of channels) {
      const notified = new Set(
        notifiedRows
          .filter((row) => row.channelId === channel.id)
          .map((row) =>
            newErrorKey({
              hostFqdn: row.hostFqdn ?? "",
              certificateSha256: row.certificateSha256,
              ruleId: String((row.payload as { ruleId?: unknown } | null)?.ruleId ?? ""),
            }),
          ),
      );
      for (const finding of newErrorFindings(findings, notified)) {
        const item: NewErrorItem = {
          type: "new-error",
          host: finding.hostFqdn,
          role: finding.role,
          certificateSha256: finding.certificateSha256,
          ruleId: finding.ruleId,
          message: finding.message,
          url: hostUrl(config.publicUrl, finding.hostFqdn),
        };
        rows.push({
          channelId: channel.id,
          kind: "new-error",
          certificateSha256: finding.certificateSha256,
          hostFqdn: finding.hostFqdn,
          thresholdDays: null,
          messageId: messageIdFor(channel, digestIds),
          payload: item as unknown as Prisma.InputJsonValue,
          status: "pending",
          ...claimFor(claimToken),
        });
      }
    }
    if (rows.length === 0) return [];
    await tx.notificationSent.createMany({ data: rows });
    return rows.map((row) => row.messageId);
  });
}
