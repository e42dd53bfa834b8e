import { type Static, Type } from "typebox";
import { DateTime, Nullable } from "./schema-helpers";

export const AuditEntrySchema = Type.Object({
  id: Type.String({ description: "Monotonic (a 64-bit integer as a string)" }),
  at: DateTime(),
  actor: Nullable(Type.String({ description: "E-mail of the user; null for certfleet itself" })),
  action: Type.String({ description: "e.g. auth.login, task.assign, token.create, user.update" }),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Nullable(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const AuditQuerySchema = Type.Object(
  {
    action: Type.Optional(
      Type.String({
        pattern: "^[a-z_.]{1,64}$",
        description: "Exact action, or a prefix ending in `.` (`task.`)",
      }),
    ),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: "Actor e-mail" })),
    entityType: Type.Optional(Type.String({ pattern: "^[a-z_]{1,32}$" })),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    from: Type.Optional(DateTime("Entries at or after")),
    to: Type.Optional(DateTime("Entries before")),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(
      Type.String({ pattern: "^[0-9]{1,19}$", description: "nextCursor of the previous page" }),
    ),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuerySchema>;

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditEntrySchema),
  nextCursor: Nullable(Type.String()),
});
export type AuditPage = Static<typeof AuditPageSchema>;
