import { createHash, randomBytes } from "node:crypto";
import {
  type CollectorToken,
  type CollectorTokenCreate,
  type CollectorTokenCreated,
  type CollectorTokenUpdate,
  TOKEN_SCOPE_NAMES,
  type TokenScopeName,
} from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../problem";
import { type AuditActor, recordAudit } from "./audit";
import { notifyTokensChanged } from "./change-events";
import type { IngestToken } from "./ingest-context";
import { normaliseScope } from "./token-scope";

/** Tokens are 256-bit random strings, so a plain SHA-256 is the right hash (argon2 is for passwords). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  return `cfc_${randomBytes(32).toString("base64url")}`;
}

/** What the token seeded from CERTFLEET_COLLECTOR_TOKEN may do: report, and import the inventory. */
export const SEEDED_TOKEN_SCOPES: TokenScopeName[] = ["reports", "inventory"];
const DEFAULT_SCOPES: TokenScopeName[] = ["reports"];

/** The stored scopes in the contract's order, unknown names dropped (the column is plain text[]). */
function toScopes(stored: string[]): TokenScopeName[] {
  return TOKEN_SCOPE_NAMES.filter((name) => stored.includes(name));
}

/**
 * Makes sure a collector token exists for this secret (CERTFLEET_COLLECTOR_TOKEN); stores only the hash.
 * An existing token keeps the scopes an admin gave it.
 */
export async function ensureCollectorToken(db: Database, token: string, name: string): Promise<void> {
  const tokenHash = hashToken(token);
  await db.apiToken.upsert({
    where: { tokenHash },
    create: { tokenHash, name, kind: "collector", hint: token.slice(0, 10), scopes: SEEDED_TOKEN_SCOPES },
    update: {},
  });
}

/**
 * The collector token with this hash when it is live (not revoked), and when it was last used; null
 * otherwise. CollectorTokenCache is the caller: it keeps the answer briefly and records use.
 */
export async function lookUpCollectorToken(
  db: Database,
  tokenHash: string,
): Promise<{ token: IngestToken; lastUsedAt: Date | null } | null> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      name: true,
      kind: true,
      revokedAt: true,
      lastUsedAt: true,
      scopeManagementGroups: true,
      scopeFqdnSuffixes: true,
      scopes: true,
    },
  });
  if (row?.kind !== "collector" || row.revokedAt) return null;
  return {
    token: {
      id: row.id,
      name: row.name,
      scope: { managementGroups: row.scopeManagementGroups, fqdnSuffixes: row.scopeFqdnSuffixes },
      scopes: toScopes(row.scopes),
    },
    lastUsedAt: row.lastUsedAt,
  };
}

/** Sets when the token was last used (callers do it at most once a minute per token). */
export async function recordTokenUse(db: Database, id: number, at: Date): Promise<void> {
  await db.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
}

const TOKEN_FIELDS = {
  id: true,
  name: true,
  hint: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  scopeManagementGroups: true,
  scopeFqdnSuffixes: true,
  scopes: true,
  createdBy: { select: { email: true } },
} as const;

function toCollectorToken(row: {
  id: number;
  name: string;
  hint: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  scopeManagementGroups: string[];
  scopeFqdnSuffixes: string[];
  scopes: string[];
  createdBy: { email: string } | null;
}): CollectorToken {
  return {
    id: row.id,
    name: row.name,
    hint: row.hint,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy?.email ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    scope: { managementGroups: row.scopeManagementGroups, fqdnSuffixes: row.scopeFqdnSuffixes },
    scopes: toScopes(row.scopes),
  };
}

export async function listCollectorTokens(db: Database): Promise<CollectorToken[]> {
  const rows = await db.apiToken.findMany({
    where: { kind: "collector" },
    select: TOKEN_FIELDS,
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
  });
  return rows.map(toCollectorToken);
}

/** A new collector token; the secret is in the answer and nowhere else. */
export async function createCollectorToken(
  db: Database,
  actor: AuditActor,
  input: CollectorTokenCreate,
): Promise<CollectorTokenCreated> {
  const token = generateToken();
  const scope = normaliseScope(input.scope ?? {});
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        name: input.name,
        scopeManagementGroups: scope.managementGroups,
        scopeFqdnSuffixes: scope.fqdnSuffixes,
        scopes: toScopes(input.scopes ?? DEFAULT_SCOPES),
        kind: "collector",
        tokenHash: hashToken(token),
        hint: token.slice(0, 10),
        createdById: actor.id,
      },
      select: TOKEN_FIELDS,
    });
    const created = toCollectorToken(row);
    await recordAudit(tx, actor, {
      action: "token.create",
      entityType: "token",
      entityId: row.id,
      after: created,
    });
    return { ...created, token };
  });
}

export async function revokeCollectorToken(
  db: Database,
  actor: AuditActor,
  id: number,
): Promise<CollectorToken> {
  return db.$transaction(async (tx) => {
    const before = await tx.apiToken.findFirst({ where: { id, kind: "collector" }, select: TOKEN_FIELDS });
    if (!before) throw new ProblemError(404, "Token not found", `No collector token with id ${id}.`);
    if (before.revokedAt) return toCollectorToken(before);
    const row = await tx.apiToken.update({
      where: { id },
      data: { revokedAt: new Date() },
      select: TOKEN_FIELDS,
    });
    const after = toCollectorToken(row);
    await recordAudit(tx, actor, {
      action: "token.revoke",
      entityType: "token",
      entityId: id,
      before: toCollectorToken(before),
      after,
    });
    await notifyTokensChanged(tx);
    return after;
  });
}

/**
 * Renames a token or sets its scope (narrowing a fleet-wide token is the usual case). Row-locked so two
 * admins editing at once leave a true before/after trail; a change that changes nothing is not audited.
 */
export async function updateCollectorToken(
  db: Database,
  actor: AuditActor,
  id: number,
  update: CollectorTokenUpdate,
): Promise<CollectorToken> {
  const scope = update.scope ? normaliseScope(update.scope) : null;
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: number }[]>`
      SELECT "id" FROM "ApiToken" WHERE "id" = ${id} AND "kind" = 'collector' FOR UPDATE`;
    if (!locked) throw new ProblemError(404, "Token not found", `No collector token with id ${id}.`);
    const before = toCollectorToken(
      await tx.apiToken.findUniqueOrThrow({ where: { id }, select: TOKEN_FIELDS }),
    );
    const row = await tx.apiToken.update({
      where: { id },
      data: {
        ...(update.name !== undefined ? { name: update.name } : {}),
        ...(scope
          ? { scopeManagementGroups: scope.managementGroups, scopeFqdnSuffixes: scope.fqdnSuffixes }
          : {}),
        ...(update.scopes ? { scopes: toScopes(update.scopes) } : {}),
      },
      select: TOKEN_FIELDS,
    });
    const after = toCollectorToken(row);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await recordAudit(tx, actor, {
        action: "token.update",
        entityType: "token",
        entityId: id,
        before: { name: before.name, scope: before.scope, scopes: before.scopes },
        after: { name: after.name, scope: after.scope, scopes: after.scopes },
      });
      await notifyTokensChanged(tx);
    }
    return after;
  });
}
