import type { Database } from "@certfleet/db";
import * as client from "openid-client";
import type { OidcConfig } from "../../config";
import { recordAudit } from "../audit";
import { findOrCreateUser, linkIdentity, type SignInClaims } from "./oidc-accounts";
import { OidcSignInError, SIGN_IN_MESSAGES } from "./oidc-errors";
import { closeAccountSignInFailures, recordSignInFailure } from "./sign-in-failures";

export { OidcSignInError, SIGN_IN_MESSAGES };

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
  /** Set when a signed-in user started "link my single sign-on identity": their account id. */
  linkUserId?: number;
}

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
    const { state, verifier, nonce, next, linkUserId } = parsed;
    if (typeof state !== "string" || typeof verifier !== "string" || typeof nonce !== "string") return null;
    if (!state || !verifier || !nonce) return null;
    if (linkUserId !== undefined && !(Number.isSafeInteger(linkUserId) && (linkUserId as number) > 0))
      return null;
    return {
      state,
      verifier,
      nonce,
      next: safeNextPath(next),
      ...(linkUserId === undefined ? {} : { linkUserId: linkUserId as number }),
    };
  } catch {
    return null;
  }
}

/** http issuers only on this machine (a local test provider); anything else must be https. */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
}

/** What the callback did: a sign-in (start a session) or a link to the signed-in account (keep its session). */
export type CompletedSignIn =
  | { kind: "signed-in"; userId: number; next: string }
  | { kind: "linked"; userId: number; next: string };

export interface OidcSignIn {
  /** `linkUserId`: a signed-in user linking their identity instead of signing in. */
  beginSignIn(next: unknown, linkUserId?: number): Promise<{ authorizationUrl: string; cookieValue: string }>;
  /**
   * The signed-in account (or the account just linked) and where to go next; throws
   * OidcSignInError (already audited) when refused. `sessionUserId`: whoever the request's session
   * cookie names, which must be the user who started a link.
   */
  completeSignIn(
    db: Database,
    callbackQuery: string,
    cookieValue: string | undefined,
    ip: string,
    sessionUserId: number | null,
  ): Promise<CompletedSignIn>;
  /** Whether a pending cookie belongs to a link flow (failures then go back to the page it started from). */
  pendingLink(cookieValue: string | undefined): { next: string } | null;
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

  async function beginSignIn(next: unknown, linkUserId?: number) {
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
      cookieValue: encodePending({
        state,
        verifier,
        nonce,
        next: safeNextPath(next),
        ...(linkUserId === undefined ? {} : { linkUserId }),
      }),
    };
  }

  async function completeSignIn(
    db: Database,
    callbackQuery: string,
    cookieValue: string | undefined,
    ip: string,
    sessionUserId: number | null,
  ): Promise<CompletedSignIn> {
    let identity: { subject: string; email: string | null } | null = null;
    let user: { id: number; email: string } | null = null;
    const pending = decodePending(cookieValue);
    if (pending?.linkUserId !== undefined)
      return completeLink(db, callbackQuery, pending, pending.linkUserId, ip, sessionUserId);
    try {
      if (!pending) throw new OidcSignInError("missing or invalid oidc cookie", SIGN_IN_MESSAGES.expired);
      const claims = await exchange(callbackQuery, pending);
      identity = { subject: `${settings.issuer} ${claims.sub}`, email: claims.email };
      user = await findOrCreateUser(db, settings, identity.subject, claims, ip);
      await closeAccountSignInFailures(db, user.id);
      await recordAudit(
        db,
        { id: user.id, email: user.email, ip },
        {
          action: "auth.login",
          entityType: "session",
          after: { method: "oidc" },
        },
      );
      return { kind: "signed-in", userId: user.id, next: pending.next };
    } catch (error) {
      const failure =
        error instanceof OidcSignInError
          ? error
          : new OidcSignInError(`unexpected error: ${describe(error)}`, SIGN_IN_MESSAGES.failed);
      // Counted per account when one is known, else per address (one audit entry per window).
      if (!failure.audited)
        await recordSignInFailure(db, {
          method: "oidc",
          reason: failure.reason,
          ip,
          account: user ?? failure.account ?? null,
          email: identity?.email ?? null,
        });
      throw failure;
    }
  }

  /** The callback of "link my identity": only for the same signed-in user who started it. */
  async function completeLink(
    db: Database,
    callbackQuery: string,
    pending: PendingSignIn,
    linkUserId: number,
    ip: string,
    sessionUserId: number | null,
  ): Promise<CompletedSignIn> {
    try {
      if (sessionUserId !== linkUserId)
        throw new OidcSignInError(
          "link: no session of the user who started it",
          SIGN_IN_MESSAGES.linkNeedsSession,
        );
      const claims = await exchange(callbackQuery, pending);
      await linkIdentity(db, settings, linkUserId, `${settings.issuer} ${claims.sub}`, claims, ip);
      return { kind: "linked", userId: linkUserId, next: pending.next };
    } catch (error) {
      const failure =
        error instanceof OidcSignInError
          ? error
          : new OidcSignInError(`unexpected error: ${describe(error)}`, SIGN_IN_MESSAGES.failed);
      const account = await db.user.findUnique({
        where: { id: linkUserId },
        select: { id: true, email: true },
      });
      await recordAudit(db, account ? { ...account, ip } : null, {
        action: "user.oidc_link_failed",
        entityType: "user",
        entityId: linkUserId,
        after: { reason: failure.reason, ...(account ? {} : { ip }) },
      });
      throw new OidcSignInError(failure.reason, failure.message, account ?? undefined, true);
    }
  }

  function pendingLink(cookieValue: string | undefined): { next: string } | null {
    const pending = decodePending(cookieValue);
    return pending?.linkUserId === undefined ? null : { next: pending.next };
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
    const missing = email === undefined || emailVerified === undefined || name === undefined;
    if (missing && userinfoEndpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
        if (email === undefined) {
          email = info.email;
          emailVerified = info.email_verified;
        } else if (emailVerified === undefined && info.email === email) {
          // The verification of the same address: userinfo may carry what the ID token left out.
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
      // Only an explicit yes: a provider that says nothing has not verified the address.
      emailVerified: emailVerified === true,
      name: typeof name === "string" && name.trim() ? name.trim().slice(0, 200) : null,
    };
  }

  return { beginSignIn, completeSignIn, pendingLink };
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
