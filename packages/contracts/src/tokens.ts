import { type Static, Type } from "typebox";
import { DateTime, Nullable } from "./schema-helpers";

/** Where a collector token may report. Empty lists: anywhere (fleet-wide, what every older token is). */
export const TokenScopeSchema = Type.Object(
  {
    managementGroups: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
      maxItems: 100,
      description: "Management group names (case-insensitive); empty: any group",
    }),
    fqdnSuffixes: Type.Array(Type.String({ minLength: 1, maxLength: 254 }), {
      maxItems: 100,
      description: 'Host name suffixes such as ".dmz.contoso.com"; empty: any host',
    }),
  },
  { additionalProperties: false },
);
export type TokenScope = Static<typeof TokenScopeSchema>;

/**
 * What a collector token may do: `reports` posts reports (single and batch), `inventory` imports the
 * SCOM inventory, `read` reads the host list, detail, summary and host exports (the CLI's export).
 */
export const TOKEN_SCOPE_NAMES = ["reports", "inventory", "read"] as const;
export type TokenScopeName = (typeof TOKEN_SCOPE_NAMES)[number];
export const TokenScopeNameSchema = Type.Enum([...TOKEN_SCOPE_NAMES]);
export const TokenScopesSchema = Type.Array(TokenScopeNameSchema, {
  minItems: 1,
  maxItems: TOKEN_SCOPE_NAMES.length,
  uniqueItems: true,
  description: "At least one of reports, inventory, read",
});

export const CollectorTokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** The token's first characters, to tell tokens apart; the secret itself is never stored. */
  hint: Nullable(Type.String()),
  createdAt: DateTime(),
  createdBy: Nullable(Type.String({ description: "E-mail of the admin who created it" })),
  lastUsedAt: Nullable(DateTime()),
  revokedAt: Nullable(DateTime()),
  scope: TokenScopeSchema,
  scopes: TokenScopesSchema,
});
export type CollectorToken = Static<typeof CollectorTokenSchema>;

export const CollectorTokenListSchema = Type.Object({ items: Type.Array(CollectorTokenSchema) });
export type CollectorTokenList = Static<typeof CollectorTokenListSchema>;

export const CollectorTokenCreateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120, description: "Where the collector runs" }),
    scope: Type.Optional(TokenScopeSchema),
    scopes: Type.Optional({ ...TokenScopesSchema, description: 'What it may do; default ["reports"]' }),
  },
  { additionalProperties: false },
);
export type CollectorTokenCreate = Static<typeof CollectorTokenCreateSchema>;

/** PATCH /api/v1/tokens/{id}: rename, or set/narrow/widen the scope (audited with before and after). */
export const CollectorTokenUpdateSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    scope: Type.Optional(TokenScopeSchema),
    scopes: Type.Optional(TokenScopesSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CollectorTokenUpdate = Static<typeof CollectorTokenUpdateSchema>;

/** The only response that ever carries the secret. */
export const CollectorTokenCreatedSchema = Type.Object({
  ...CollectorTokenSchema.properties,
  token: Type.String({ description: "Shown once: store it in the collector's configuration now" }),
});
export type CollectorTokenCreated = Static<typeof CollectorTokenCreatedSchema>;

export const TokenIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
