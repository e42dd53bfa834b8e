import { type Database, Prisma } from "@certfleet/db";
import * as client from "openid-client";
import type { OidcConfig } from "../../config";
import { type AuditActor, recordAudit } from "../audit";

/**
 * OpenID Connect sign-in: authorization code flow with PKCE (S256), state and nonce.
 * The browser carries {state, verifier, nonce, next} in a short-lived HttpOnly cookie between
 * the start and the callback; nothing is kept server-side until the account is known.
 */

export const OIDC_SCOPE = "openid email profile";

/** What the browser keeps between /start and /callback (the certfleet_oidc cookie, base64url JSON). */
export interface PendingSignIn {
  state: string;
  verifier: string;
  nonce: string;
  next: string;
}

/** A sign-in that did not succeed: `message` is for the person, `reason` for the audit log. */
export class OidcSignInError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** The account it concerns, when one was found (the audit entry names it). */
    readonly account?: { id: number; email: string },
  ) {
    super(message);
    this.name = "OidcSignInError";
  }
}

export const SIGN_IN_MESSAGES = {
  expired: "Single sign-on failed: the sign-in took too long or was started in another browser",
  unavailable: "Single sign-on is unavailable: the identity provider could not be reached",
  refused: "Single sign-on was cancelled or refused by the identity provider",
  noEmail: "Single sign-on failed: the identity provider did not share a verified e-mail address",
  linkedElsewhere: "This e-mail address is already linked to another single sign-on identity",
  disabled: "This account is disabled",
  failed: "Single sign-on failed; try again",
} as const;

/** A same-site path ("/tasks"), never another origin ("//evil.example", "/\evil.example", "https://…"). */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Control characters (tabs and newlines are dropped by URL parsers, turning "/\t/evil" into "//evil").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of the check
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  return next;
}

export function encodePending(pending: PendingSignIn): string {
  return Buffer.from(JSON.stringify(pending), "utf8").toString("base64url");
}

export function decodePending(value: string | undefined): PendingSignIn | null {
  if (!value || value.length > 4096) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Record<string, unknown>;
    const { state, verifier, nonce, next } = parsed;
    if (typeof state !== "string" || typeof verifier !== "string" || typeof nonce !== "string") return null;
    if (!state || !verifier || !nonce) return null;
    return { state, verifier, nonce, next: safeNextPath(next) };
  } catch {
    return null;
  }
}

/** http issuers only on this machine (a local test provider); anything else must be https. */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
}

export interface OidcSignIn {
  beginSignIn(next: unknown): Promise<{ authorizationUrl: string; cookieValue: string }>;
  /** The signed-in account and where to go next; throws OidcSignInError (already audited) when refused. */
  completeSignIn(
    db: Database,
    callbackQuery: string,
    cookieValue: string | undefined,
    ip: string,
  ): Promise<{ userId: number; next: string }>;
}

export function createOidcSignIn(settings: OidcConfig): OidcSignIn {
  let discovered: Promise<client.Configuration> | null = null;

  /** Discovery once per process; a failure is forgotten so the next sign-in tries again. */
  function configuration(): Promise<client.Configuration> {
    if (!discovered) {
      discovered = (async () => {
        const issuer = new URL(settings.issuer);
        const insecure = isLoopbackHttp(issuer);
        if (issuer.protocol !== "https:" && !insecure)
          throw new Error("CERTFLEET_OIDC_ISSUER must be https (http only for 127.0.0.1 or localhost)");
        return client.discovery(
          issuer,
          settings.clientId,
          settings.clientSecret,
          undefined,
          insecure ? { execute: [client.allowInsecureRequests] } : undefined,
        );
      })().catch((error: unknown) => {
        discovered = null;
        throw error;
      });
    }
    return discovered;
  }

  async function beginSignIn(next: unknown) {
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      throw new OidcSignInError(`discovery failed: ${describe(error)}`, SIGN_IN_MESSAGES.unavailable);
    }
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: OIDC_SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return {
      authorizationUrl: authorizationUrl.href,
      cookieValue: encodePending({ state, verifier, nonce, next: safeNextPath(next) }),
    };
  }

  async function completeSignIn(
    db: Database,
    callbackQuery: string,
    cookieValue: string | undefined,
    ip: string,
  ) {
    let identity: { subject: string; email: string | null } | null = null;
    let user: { id: number; email: string } | null = null;
    try {
      const pending = decodePending(cookieValue);
      if (!pending) throw new OidcSignInError("missing or invalid oidc cookie", SIGN_IN_MESSAGES.expired);
      const claims = await exchange(callbackQuery, pending);
      identity = { subject: `${settings.issuer} ${claims.sub}`, email: claims.email };
      user = await findOrCreateUser(db, settings, identity.subject, claims, ip);
      await recordAudit(
        db,
        { id: user.id, email: user.email, ip },
        {
          action: "auth.login",
          entityType: "session",
          after: { method: "oidc" },
        },
      );
      return { userId: user.id, next: pending.next };
    } catch (error) {
      const failure =
        error instanceof OidcSignInError
          ? error
          : new OidcSignInError(`unexpected error: ${describe(error)}`, SIGN_IN_MESSAGES.failed);
      const account = user ?? failure.account ?? null;
      const email = account?.email ?? identity?.email ?? identity?.subject;
      // Who it was, when known; otherwise the address goes with the entry's details.
      const actor: AuditActor | null = email ? { id: account?.id ?? 0, email, ip } : null;
      await recordAudit(db, actor, {
        action: "auth.login_failed",
        entityType: "session",
        after: { method: "oidc", reason: failure.reason, ...(actor ? {} : { ip }) },
      });
      throw failure;
    }
  }

  /** Code → tokens (state, nonce, PKCE and the ID token checked by openid-client) → the person's claims. */
  async function exchange(callbackQuery: string, pending: PendingSignIn): Promise<SignInClaims> {
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      throw new OidcSignInError(`discovery failed: ${describe(error)}`, SIGN_IN_MESSAGES.unavailable);
    }
    // The configured public URL, not one rebuilt from Host: the API sits behind a proxy.
    const currentUrl = new URL(settings.redirectUri);
    currentUrl.search = callbackQuery;
    currentUrl.hash = "";
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError)
        throw new OidcSignInError(`provider answered ${error.error}`, SIGN_IN_MESSAGES.refused);
      if (/"state"/.test(describe(error)))
        throw new OidcSignInError(`state mismatch: ${describe(error)}`, SIGN_IN_MESSAGES.expired);
      throw new OidcSignInError(`code exchange failed: ${describe(error)}`, SIGN_IN_MESSAGES.failed);
    }
    const idToken = tokens.claims();
    if (!idToken) throw new OidcSignInError("no ID token", SIGN_IN_MESSAGES.failed);
    let email = idToken.email;
    let emailVerified = idToken.email_verified;
    let name = idToken.name;
    // Conformant providers may keep scope claims out of the ID token and serve them from userinfo.
    const userinfoEndpoint = config.serverMetadata().userinfo_endpoint;
    if ((email === undefined || name === undefined) && userinfoEndpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
        if (email === undefined) {
          email = info.email;
          emailVerified = info.email_verified;
        }
        name ??= info.name;
      } catch (error) {
        throw new OidcSignInError(`userinfo failed: ${describe(error)}`, SIGN_IN_MESSAGES.failed);
      }
    }
    return {
      sub: idToken.sub,
      email: typeof email === "string" && email.includes("@") ? email.toLowerCase() : null,
      emailVerified: emailVerified !== false,
      name: typeof name === "string" && name.trim() ? name.trim().slice(0, 200) : null,
    };
  }

  return { beginSignIn, completeSignIn };
}

interface SignInClaims {
  sub: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** The account of this identity: linked by subject, else linked by verified e-mail, else created. */
async function findOrCreateUser(
  db: Database,
  settings: OidcConfig,
  subject: string,
  claims: SignInClaims,
  ip: string,
  retry = true,
): Promise<{ id: number; email: string }> {
  const select = { id: true, email: true, disabledAt: true, oidcSubject: true } as const;
  const refuseDisabled = (user: { id: number; email: string; disabledAt: Date | null }) => {
    if (user.disabledAt)
      throw new OidcSignInError("account disabled", SIGN_IN_MESSAGES.disabled, {
        id: user.id,
        email: user.email,
      });
  };
  const linked = await db.user.findUnique({ where: { oidcSubject: subject }, select });
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
      const existing = await tx.user.findUnique({ where: { email }, select });
      if (existing) {
        refuseDisabled(existing);
        if (existing.oidcSubject !== null)
          throw new OidcSignInError("e-mail linked to another subject", SIGN_IN_MESSAGES.linkedElsewhere, {
            id: existing.id,
            email: existing.email,
          });
        await tx.user.update({ where: { id: existing.id }, data: { oidcSubject: subject } });
        await recordAudit(
          tx,
          { id: existing.id, email, ip },
          {
            action: "user.oidc_link",
            entityType: "user",
            entityId: existing.id,
            after: { via: "oidc", issuer: settings.issuer },
          },
        );
        return existing;
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
    // A second tab finishing the same first sign-in at the same moment: the row exists now.
    if (retry && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return findOrCreateUser(db, settings, subject, claims, ip, false);
    throw error;
  }
}

/** An error for the log and the audit entry: never a token or a response body. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  // openid-client wraps the precise reason ('unexpected "state" response parameter value') as the cause.
  const detail = cause instanceof Error ? ` (${cause.message})` : "";
  const oauthError = error instanceof client.ResponseBodyError ? ` [${error.error}]` : "";
  return `${typeof code === "string" ? `${code}: ` : ""}${error.message}${detail}${oauthError}`.slice(0, 300);
}
