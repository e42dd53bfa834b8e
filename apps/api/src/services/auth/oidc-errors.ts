/** A sign-in that did not succeed: `message` is for the person, `reason` for the audit log. */
export class OidcSignInError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** The account it concerns, when one was found (the audit entry names it). */
    readonly account?: { id: number; email: string },
    /** Already written to the audit log as its own entry (a refused link): not counted as a failure. */
    readonly audited = false,
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
  linkRequired:
    "An account with this e-mail already exists and is not linked to single sign-on: sign in with your password and link single sign-on from your account, or ask an admin to link it",
  linkNeedsSession: "Linking single sign-on failed: your session ended; sign in and start again",
  linkedToOther: "This single sign-on identity is already linked to another account",
  alreadyLinked:
    "Your account is already linked to another single sign-on identity; ask an admin to unlink it first",
  linkedElsewhere: "This e-mail address is already linked to another single sign-on identity",
  disabled: "This account is disabled",
  failed: "Single sign-on failed; try again",
} as const;
