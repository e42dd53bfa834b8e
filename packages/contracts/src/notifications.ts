import { type Static, Type } from "typebox";
import { DateTime, Nullable } from "./schema-helpers";

export const NOTIFICATION_CHANNEL_KINDS = ["email", "webhook"] as const;
export const NotificationChannelKindSchema = Type.Enum([...NOTIFICATION_CHANNEL_KINDS]);
export type NotificationChannelKind = Static<typeof NotificationChannelKindSchema>;

export const NOTIFICATION_STATUSES = ["pending", "delivered", "failed"] as const;
export const NotificationStatusSchema = Type.Enum([...NOTIFICATION_STATUSES]);
export type NotificationStatus = Static<typeof NotificationStatusSchema>;

export const NOTIFICATION_KINDS = ["expiry", "digest", "new-error", "test"] as const;
export const NotificationKindSchema = Type.Enum([...NOTIFICATION_KINDS]);
export type NotificationKind = Static<typeof NotificationKindSchema>;

/** A channel as the API shows it: never the webhook secret (that is in the create answer only). */
export const NotificationChannelSchema = Type.Object({
  id: Type.Integer(),
  kind: NotificationChannelKindSchema,
  name: Type.String(),
  target: Type.String({ description: "Comma-separated e-mail addresses, or the webhook URL" }),
  digest: Type.Boolean({ description: "One message per daily run listing every certificate due" }),
  notifyNewErrors: Type.Boolean({ description: "Also tell of error findings not notified before" }),
  enabled: Type.Boolean(),
  createdAt: DateTime(),
  updatedAt: DateTime(),
  lastDelivery: Nullable(
    Type.Object({
      status: NotificationStatusSchema,
      at: DateTime("When the newest message of this channel was created"),
    }),
  ),
});
export type NotificationChannel = Static<typeof NotificationChannelSchema>;

export const NotificationChannelListSchema = Type.Object({ items: Type.Array(NotificationChannelSchema) });
export type NotificationChannelList = Static<typeof NotificationChannelListSchema>;

const ChannelName = Type.String({ minLength: 1, maxLength: 120 });
const ChannelTarget = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: "E-mail: comma-separated addresses. Webhook: an http(s) URL.",
});

export const NotificationChannelCreateSchema = Type.Object(
  {
    kind: NotificationChannelKindSchema,
    name: ChannelName,
    target: ChannelTarget,
    digest: Type.Optional(Type.Boolean({ default: false })),
    notifyNewErrors: Type.Optional(Type.Boolean({ default: false })),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type NotificationChannelCreate = Static<typeof NotificationChannelCreateSchema>;

/** The only answer that carries a webhook's signing secret. */
export const NotificationChannelCreatedSchema = Type.Object({
  ...NotificationChannelSchema.properties,
  secret: Nullable(
    Type.String({
      description: "Webhook HMAC-SHA256 key, shown once: store it in the receiver now. Null for e-mail.",
    }),
  ),
});
export type NotificationChannelCreated = Static<typeof NotificationChannelCreatedSchema>;

export const NotificationChannelUpdateSchema = Type.Object(
  {
    name: Type.Optional(ChannelName),
    target: Type.Optional(ChannelTarget),
    digest: Type.Optional(Type.Boolean()),
    notifyNewErrors: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type NotificationChannelUpdate = Static<typeof NotificationChannelUpdateSchema>;

export const NotificationChannelParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const NotificationSettingsSchema = Type.Object({
  thresholds: Type.Array(Type.Integer(), {
    description: "Days before expiry at which a warning goes out, largest first (default 30, 14, 7, 1)",
  }),
  updatedAt: Nullable(DateTime("When an admin last changed the thresholds")),
  /** Whether CERTFLEET_SMTP_URL and CERTFLEET_SMTP_FROM are set; the credentials never leave the server. */
  smtpConfigured: Type.Boolean(),
  smtpFrom: Nullable(Type.String({ description: "The sender address (CERTFLEET_SMTP_FROM)" })),
});
export type NotificationSettings = Static<typeof NotificationSettingsSchema>;

export const NotificationSettingsUpdateSchema = Type.Object(
  {
    thresholds: Type.Array(Type.Number(), {
      description: "1 to 8 distinct whole numbers of days from 1 to 365, in any order (stored largest first)",
    }),
  },
  { additionalProperties: false },
);
export type NotificationSettingsUpdate = Static<typeof NotificationSettingsUpdateSchema>;

export const NotificationRunResultSchema = Type.Object({
  channels: Type.Integer({ description: "Enabled channels considered" }),
  certificates: Type.Integer({ description: "Bound certificates within the largest threshold" }),
  due: Type.Integer({
    description: "Notifications recorded by this run (certificate × threshold × channel)",
  }),
  newErrors: Type.Integer({ description: "New-error notifications recorded by this run" }),
  messages: Type.Integer({ description: "Messages sent (a digest counts once)" }),
  delivered: Type.Integer(),
  failed: Type.Integer(),
  pending: Type.Integer({ description: "Messages left to the job queue's retries" }),
});
export type NotificationRunResult = Static<typeof NotificationRunResultSchema>;

export const NotificationHistoryQuerySchema = Type.Object(
  {
    channel: Type.Optional(Type.Integer({ minimum: 1, description: "Channel id" })),
    status: Type.Optional(NotificationStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(
      Type.String({ pattern: "^[0-9]{1,19}$", description: "nextCursor of the previous page" }),
    ),
  },
  { additionalProperties: false },
);
export type NotificationHistoryQuery = Static<typeof NotificationHistoryQuerySchema>;

export const NotificationHistoryItemSchema = Type.Object({
  id: Type.String({ description: "Monotonic (a 64-bit integer as a string)" }),
  channelId: Type.Integer(),
  channelName: Type.String(),
  channelKind: NotificationChannelKindSchema,
  recipient: Type.String({ description: "The addresses, or the webhook's host (never its path or query)" }),
  kind: NotificationKindSchema,
  hostFqdn: Nullable(Type.String()),
  certificateSha256: Nullable(Type.String()),
  thresholdDays: Nullable(Type.Integer()),
  messageId: Nullable(Type.String({ description: "Shared by the rows one digest delivered" })),
  summary: Type.String({ description: "What the message said, in one line" }),
  status: NotificationStatusSchema,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: DateTime(),
  deliveredAt: Nullable(DateTime()),
});
export type NotificationHistoryItem = Static<typeof NotificationHistoryItemSchema>;

export const NotificationHistoryPageSchema = Type.Object({
  items: Type.Array(NotificationHistoryItemSchema),
  nextCursor: Nullable(Type.String()),
});
export type NotificationHistoryPage = Static<typeof NotificationHistoryPageSchema>;
