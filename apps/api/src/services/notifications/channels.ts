import { randomBytes, randomUUID } from "node:crypto";
import { isIP } from "node:net";
import type {
  NotificationChannel,
  NotificationChannelCreate,
  NotificationChannelCreated,
  NotificationChannelKind,
  NotificationChannelUpdate,
  NotificationHistoryItem,
  NotificationStatus,
} from "@certfleet/contracts";
import type { NotificationChannel as ChannelRow, Database } from "@certfleet/db";
import type { NotificationsConfig, WebhookAllowList } from "../../config";
import { ProblemError } from "../../problem";
import { type AuditActor, recordAudit } from "../audit";
import { attemptDelivery, CLAIM_LEASE_MS } from "./delivery";
import { HISTORY_FIELDS, redactChannelSnapshot, toHistoryItem } from "./history";
import type { TestItem } from "./messages";
import { encryptSecret } from "./secret-box";
import { addressRefusal, bareHost, isAllowedHost, type Resolver, systemResolver } from "./webhook-address";

const MAX_RECIPIENTS = 50;
const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/;

function invalidTarget(message: string): ProblemError {
  return new ProblemError(422, "Invalid channel target", `target ${message}`, [{ field: "target", message }]);
}

function secretKeyMissing(): ProblemError {
  return new ProblemError(
    422,
    "Webhooks are not configured",
    "Set CERTFLEET_SECRET_KEY (32 random bytes, base64 or hex) on the API: webhook signing secrets are stored encrypted with it.",
    [{ field: "kind", message: "webhooks need CERTFLEET_SECRET_KEY to encrypt their signing secret" }],
  );
}

/**
 * A channel as the audit log keeps it: a webhook URL only as scheme and host, because chat
 * incoming-webhook URLs carry their token in the path (https://hooks.example.com/T0/B0/secret).
 */
export function auditedChannel<T extends { kind: string; target: string }>(channel: T): T {
  return redactChannelSnapshot(channel) as T;
}

function smtpMissing(): ProblemError {
  return new ProblemError(
    422,
    "E-mail is not configured",
    "Set CERTFLEET_SMTP_URL and CERTFLEET_SMTP_FROM on the API to use e-mail channels; webhooks work without them.",
    [{ field: "kind", message: "e-mail needs SMTP settings (CERTFLEET_SMTP_URL, CERTFLEET_SMTP_FROM)" }],
  );
}

/** Checks and normalises an e-mail target: "a@x.com, b@y.com". */
function normalizeEmailTarget(target: string): string {
  const addresses = target
    .split(",")
    .map((address) => address.trim().toLowerCase())
    .filter(Boolean);
  if (addresses.length === 0) throw invalidTarget("must list at least one e-mail address");
  if (addresses.length > MAX_RECIPIENTS) throw invalidTarget(`must list at most ${MAX_RECIPIENTS} addresses`);
  const bad = addresses.find((address) => !EMAIL.test(address));
  if (bad) throw invalidTarget(`"${bad}" is not an e-mail address`);
  return [...new Set(addresses)].join(", ");
}

const NOT_ALLOWED =
  "must not point at this machine or a local, private or link-local network (list the host or its network in CERTFLEET_WEBHOOK_ALLOW to allow it)";
const HTTPS_REQUIRED =
  "must use https (plain http only to hosts or networks listed in CERTFLEET_WEBHOOK_ALLOW)";

/**
 * Checks a webhook URL when it is saved: http(s), and not local or private unless allowed. A name
 * that resolves now is checked by its addresses; one that does not resolve (yet) is accepted, and
 * every delivery checks again where it connects.
 */
export async function normalizeWebhookTarget(
  target: string,
  allow: WebhookAllowList,
  resolve: Resolver = systemResolver,
): Promise<string> {
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    throw invalidTarget("must be an http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalidTarget("must be an http(s) URL");
  if (url.username || url.password) throw invalidTarget("must not carry a user name or password");
  const host = bareHost(url.hostname);
  const fail = (refusal: ReturnType<typeof addressRefusal>) => {
    if (refusal === "not-allowed-address") throw invalidTarget(NOT_ALLOWED);
    if (refusal === "https-required") throw invalidTarget(HTTPS_REQUIRED);
  };
  if (isIP(host) !== 0) fail(addressRefusal(url, host, allow));
  else if (!isAllowedHost(host, allow)) {
    const addresses = await resolve(host).catch(() => []);
    const refusals = addresses.map((entry) => addressRefusal(url, entry.address, allow));
    if (refusals.length > 0 && refusals.every((refusal) => refusal !== null)) fail(refusals[0] ?? null);
    if (refusals.length === 0 && url.protocol !== "https:") fail("https-required");
  }
  return url.toString();
}

/** Checks and normalises a target for its kind. */
export async function normalizeTarget(
  kind: NotificationChannelKind,
  target: string,
  allow: WebhookAllowList,
): Promise<string> {
  return kind === "email" ? normalizeEmailTarget(target) : normalizeWebhookTarget(target, allow);
}

function toChannel(
  row: ChannelRow,
  last: { status: string; createdAt: Date } | undefined,
): NotificationChannel {
  return {
    id: row.id,
    kind: row.kind as NotificationChannelKind,
    name: row.name,
    target: row.target,
    digest: row.digest,
    notifyNewErrors: row.notifyNewErrors,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastDelivery: last
      ? { status: last.status as NotificationStatus, at: last.createdAt.toISOString() }
      : null,
  };
}

export async function listChannels(db: Database): Promise<NotificationChannel[]> {
  const rows = await db.notificationChannel.findMany({ orderBy: { id: "asc" } });
  // The newest message of each channel, one index probe per channel (history can be long).
  const last = await db.$queryRaw<{ channelId: number; status: string; createdAt: Date }[]>`
    SELECT DISTINCT ON ("channelId") "channelId", "status", "createdAt"
    FROM "NotificationSent" ORDER BY "channelId", "id" DESC`;
  const byChannel = new Map(last.map((row) => [row.channelId, row]));
  return rows.map((row) => toChannel(row, byChannel.get(row.id)));
}

async function findChannel(db: Pick<Database, "notificationChannel">, id: number): Promise<ChannelRow> {
  const row = await db.notificationChannel.findUnique({ where: { id } });
  if (!row) throw new ProblemError(404, "Channel not found", `No notification channel with id ${id}.`);
  return row;
}

/** A new channel; a webhook's signing secret is in the answer and nowhere else the API shows. */
export async function createChannel(
  db: Database,
  config: NotificationsConfig,
  actor: AuditActor,
  input: NotificationChannelCreate,
): Promise<NotificationChannelCreated> {
  if (input.kind === "email" && !config.smtp) throw smtpMissing();
  const key = config.secretKey;
  if (input.kind === "webhook" && !key) throw secretKeyMissing();
  const target = await normalizeTarget(input.kind, input.target, config.webhookAllow);
  const secret = input.kind === "webhook" ? `whsec_${randomBytes(32).toString("base64url")}` : null;
  return db.$transaction(async (tx) => {
    const row = await tx.notificationChannel.create({
      data: {
        kind: input.kind,
        name: input.name.trim(),
        target,
        // Shown once in this answer; stored only encrypted.
        secret: secret && key ? encryptSecret(key, secret) : null,
        digest: input.digest ?? false,
        notifyNewErrors: input.notifyNewErrors ?? false,
        enabled: input.enabled ?? true,
      },
    });
    const created = toChannel(row, undefined);
    await recordAudit(tx, actor, {
      action: "channel.create",
      entityType: "notification_channel",
      entityId: row.id,
      after: auditedChannel(created),
    });
    return { ...created, secret };
  });
}

export async function updateChannel(
  db: Database,
  config: NotificationsConfig,
  actor: AuditActor,
  id: number,
  update: NotificationChannelUpdate,
): Promise<NotificationChannel> {
  const current = await findChannel(db, id);
  // Checked (and resolved) before the transaction: a slow DNS answer must not hold a row lock.
  const target =
    update.target === undefined
      ? undefined
      : await normalizeTarget(current.kind as NotificationChannelKind, update.target, config.webhookAllow);
  await db.$transaction(async (tx) => {
    const before = await findChannel(tx, id);
    const row = await tx.notificationChannel.update({
      where: { id },
      data: {
        ...(update.name !== undefined ? { name: update.name.trim() } : {}),
        ...(target !== undefined ? { target } : {}),
        ...(update.digest !== undefined ? { digest: update.digest } : {}),
        ...(update.notifyNewErrors !== undefined ? { notifyNewErrors: update.notifyNewErrors } : {}),
        ...(update.enabled !== undefined ? { enabled: update.enabled } : {}),
      },
    });
    await recordAudit(tx, actor, {
      action: "channel.update",
      entityType: "notification_channel",
      entityId: id,
      before: auditedChannel(toChannel(before, undefined)),
      after: auditedChannel(toChannel(row, undefined)),
    });
  });
  const channels = await listChannels(db);
  return channels.find((channel) => channel.id === id) as NotificationChannel;
}

/** Deletes the channel and its history (the audit entry keeps what it was). */
export async function deleteChannel(db: Database, actor: AuditActor, id: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await findChannel(tx, id);
    await tx.notificationChannel.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "channel.delete",
      entityType: "notification_channel",
      entityId: id,
      before: auditedChannel(toChannel(before, undefined)),
    });
  });
}

/** Sends a test message now (one attempt, no retries: the admin is watching) and records it. */
export async function sendTestMessage(
  db: Database,
  config: NotificationsConfig,
  actor: AuditActor,
  id: number,
): Promise<NotificationHistoryItem> {
  const channel = await findChannel(db, id);
  if (channel.kind === "email" && !config.smtp) throw smtpMissing();
  const messageId = randomUUID();
  const claimToken = randomUUID();
  const item: TestItem = {
    type: "test",
    message: `Test message from certfleet for channel "${channel.name}", sent by ${actor.email}.`,
  };
  const row = await db.$transaction(async (tx) => {
    const created = await tx.notificationSent.create({
      data: {
        channelId: id,
        kind: "test",
        messageId,
        payload: { ...item },
        status: "pending",
        claimToken,
        claimedUntil: new Date(Date.now() + CLAIM_LEASE_MS),
      },
    });
    await recordAudit(tx, actor, {
      action: "channel.test",
      entityType: "notification_channel",
      entityId: id,
      after: { messageId },
    });
    return created;
  });
  await attemptDelivery(db, config, messageId, { maxAttempts: 1, claimToken, holdAfterFailureMs: () => 0 });
  const sent = await db.notificationSent.findUniqueOrThrow({ where: { id: row.id }, select: HISTORY_FIELDS });
  return toHistoryItem(sent);
}
