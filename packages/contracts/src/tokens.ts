import { type Static, Type } from "typebox";
import { DateTime, Nullable } from "./schema-helpers";

export const CollectorTokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** The token's first characters, to tell tokens apart; the secret itself is never stored. */
  hint: Nullable(Type.String()),
  createdAt: DateTime(),
  createdBy: Nullable(Type.String({ description: "E-mail of the admin who created it" })),
  lastUsedAt: Nullable(DateTime()),
  revokedAt: Nullable(DateTime()),
});
export type CollectorToken = Static<typeof CollectorTokenSchema>;

export const CollectorTokenListSchema = Type.Object({ items: Type.Array(CollectorTokenSchema) });
export type CollectorTokenList = Static<typeof CollectorTokenListSchema>;

export const CollectorTokenCreateSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120, description: "Where the collector runs" }) },
  { additionalProperties: false },
);

/** The only response that ever carries the secret. */
export const CollectorTokenCreatedSchema = Type.Object({
  ...CollectorTokenSchema.properties,
  token: Type.String({ description: "Shown once: store it in the collector's configuration now" }),
});
export type CollectorTokenCreated = Static<typeof CollectorTokenCreatedSchema>;

export const TokenIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
