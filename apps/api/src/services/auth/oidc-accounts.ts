import type { User } from "@certfleet/contracts";
import { type Database, Prisma } from "@certfleet/db";
import type { OidcConfig } from "../../config";
import { ProblemError } from "../../problem";
import { type AuditActor, recordAudit } from "../audit";
import { toUser, USER_FIELDS } from "../users";
import { OidcSignInError, SIGN_IN_MESSAGES } from "./oidc-errors";

/**
 * Which account a single sign-on identity signs in to, and when an identity may be linked.
 *
 * - An identity already linked (User.oidcSubject = "<issuer> <sub>") signs in to its account.
 * - Otherwise the provider must vouch for the e-mail: `email_verified: true` (a missing claim is
 *   not a yes). Then:
 *   - no account with that e-mail: one is created with CERTFLEET_OIDC_DEFAULT_ROLE;
 *   - an account without a password and below lead: linked automatically (it can only sign in
 *     through single sign-on anyway);
 *   - an account with a password, or a lead or admin: never linked automatically. Whoever controls
 *     an identity provider account with that e-mail would otherwise take over the account, so the
 *     link is made explicitly: by the user while signed in (linkIdentity) or by an admin
 *     (PUT /api/v1/users/:id/oidc). The refusal is audited at once (auth.oidc_link_refused) with the
 *     subject, so an admin can link exactly that identity.
 */

export interface SignInClaims {
  sub: string;
  email: string | null;
  /** True only when the provider said `email_verified: true`. */
  emailVerified: boolean;
  name: string | null;
}

const AUTO_LINK_ROLES: ReadonlySet<string> = new Set(["viewer", "operator"]);

type Account = { id: number; email: string };

const ACCOUNT_FIELDS = {
  id: true,
  email: true,
  role: true,
  disabledAt: true,
  oidcSubject: true,
  passwordHash: true,
} as const;

function refuseDisabled(user: Account & { disabledAt: Date | null }) {
  if (user.disabledAt)
    throw new OidcSignInError("account disabled", SIGN_IN_MESSAGES.disabled, {
      id: user.id,
      email: user.email,
    });
}

/** The account of this identity: linked by subject, else linked by verified e-mail when allowed, else created. */
export async function findOrCreateUser(
  db: Database,
  settings: OidcConfig,
  subject: string,
  claims: SignInClaims,
  ip: string,
  retry = true,
): Promise<Account> {
  const linked = await db.user.findUnique({ where: { oidcSubject: subject }, select: ACCOUNT_FIELDS });
  if (linked) {
    refuseDisabled(linked);
    return linked;
  }
  if (!claims.email)
    throw new OidcSignInError("no e-mail claim and no linked account", SIGN_IN_MESSAGES.noEmail);
  if (!claims.emailVerified)
    throw new OidcSignInError("e-mail not verified by the provider", SIGN_IN_MESSAGES.noEmail);
  const email = claims.email;
  try {
    return await db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email }, select: ACCOUNT_FIELDS });
      if (existing) {
        const account = { id: existing.id, email: existing.email };
        refuseDisabled(existing);
        if (existing.oidcSubject !== null)
          throw new OidcSignInError(
            "e-mail linked to another subject",
            SIGN_IN_MESSAGES.linkedElsewhere,
            account,
          );
        const why =
          existing.passwordHash !== null
            ? "the account has a password"
            : !AUTO_LINK_ROLES.has(existing.role)
              ? `the account is ${existing.role === "admin" ? "an admin" : `a ${existing.role}`}`
              : null;
        if (why) throw new LinkRefused(`not linked automatically: ${why}`, account);
        await tx.user.update({ where: { id: existing.id }, data: { oidcSubject: subject } });
        await recordAudit(
          tx,
          { id: existing.id, email, ip },
          {
            action: "user.oidc_link",
            entityType: "user",
            entityId: existing.id,
            after: { via: "verified e-mail", issuer: settings.issuer, subject },
          },
        );
        return account;
      }
      const created = await tx.user.create({
        data: {
          email,
          name: claims.name ?? email,
          role: settings.defaultRole,
          passwordHash: null,
          oidcSubject: subject,
        },
        select: { id: true, email: true, name: true, role: true },
      });
      await recordAudit(tx, null, {
        action: "user.create",
        entityType: "user",
        entityId: created.id,
        after: { ...created, via: "oidc", issuer: settings.issuer },
      });
      return created;
    });
  } catch (error) {
    if (error instanceof LinkRefused) {
      // Outside the rolled-back transaction: the refusal must stay in the log.
      await recordAudit(
        db,
        { id: error.account.id, email: error.account.email, ip },
        {
          action: "auth.oidc_link_refused",
          entityType: "user",
          entityId: error.account.id,
          after: { reason: error.reason, issuer: settings.issuer, subject },
        },
      );
      throw new OidcSignInError(error.reason, SIGN_IN_MESSAGES.linkRequired, error.account, true);
    }
    // A second tab finishing the same first sign-in at the same moment: the row exists now.
    if (retry && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return findOrCreateUser(db, settings, subject, claims, ip, false);
    throw error;
  }
}

class LinkRefused extends Error {
  constructor(
    readonly reason: string,
    readonly account: Account,
  ) {
    super(reason);
    this.name = "LinkRefused";
  }
}

/**
 * "Link my single sign-on identity", finished at the callback: the signed-in user proved the
 * account (session) and the identity (provider sign-in), so no e-mail match is needed.
 */
export async function linkIdentity(
  db: Database,
  settings: OidcConfig,
  userId: number,
  subject: string,
  claims: SignInClaims,
  ip: string,
): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: ACCOUNT_FIELDS });
  if (!user || user.disabledAt)
    throw new OidcSignInError("link: account missing or disabled", SIGN_IN_MESSAGES.linkNeedsSession);
  const account = { id: user.id, email: user.email };
  if (user.oidcSubject === subject) return;
  if (user.oidcSubject !== null)
    throw new OidcSignInError(
      "link: account linked to another subject",
      SIGN_IN_MESSAGES.alreadyLinked,
      account,
    );
  try {
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { oidcSubject: subject } });
      await recordAudit(
        tx,
        { id: user.id, email: user.email, ip },
        {
          action: "user.oidc_link",
          entityType: "user",
          entityId: user.id,
          after: { via: "self", issuer: settings.issuer, subject, providerEmail: claims.email },
        },
      );
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new OidcSignInError(
        "link: subject linked to another account",
        SIGN_IN_MESSAGES.linkedToOther,
        account,
      );
    throw error;
  }
}

/**
 * An admin links an account to the identity `<issuer> <sub>`: the explicit way for accounts that
 * are never linked automatically (with a password, leads, admins). Audited with before and after.
 */
export async function adminLinkIdentity(
  db: Database,
  settings: OidcConfig | null,
  actor: AuditActor,
  userId: number,
  sub: string,
): Promise<User> {
  if (!settings)
    throw new ProblemError(
      409,
      "Single sign-on is not configured",
      "Set CERTFLEET_OIDC_ISSUER and its companions first.",
    );
  const subject = `${settings.issuer} ${sub}`;
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.user.findUnique({ where: { id: userId }, select: USER_FIELDS });
      if (!before) throw new ProblemError(404, "User not found", `No user with id ${userId}.`);
      const row = await tx.user.update({
        where: { id: userId },
        data: { oidcSubject: subject },
        select: USER_FIELDS,
      });
      await recordAudit(tx, actor, {
        action: "user.oidc_link",
        entityType: "user",
        entityId: userId,
        before: { subject: before.oidcSubject },
        after: { via: "admin", issuer: settings.issuer, subject },
      });
      return toUser(row);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new ProblemError(
        409,
        "Identity already linked",
        "Another account is linked to this single sign-on identity.",
        [{ field: "subject", message: "is linked to another account" }],
      );
    throw error;
  }
}

/** An admin removes an account's single sign-on link; its sessions end (they may have come from it). */
export async function adminUnlinkIdentity(db: Database, actor: AuditActor, userId: number): Promise<User> {
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: USER_FIELDS });
    if (!before) throw new ProblemError(404, "User not found", `No user with id ${userId}.`);
    const row = await tx.user.update({
      where: { id: userId },
      data: { oidcSubject: null },
      select: USER_FIELDS,
    });
    if (before.oidcSubject !== null) {
      await tx.session.deleteMany({ where: { userId, method: "oidc" } });
      await recordAudit(tx, actor, {
        action: "user.oidc_unlink",
        entityType: "user",
        entityId: userId,
        before: { subject: before.oidcSubject },
      });
    }
    return toUser(row);
  });
}
