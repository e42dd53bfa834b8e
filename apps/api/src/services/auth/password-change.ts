import type { PasswordChangeBody } from "@certfleet/contracts";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../../problem";
import { type AuditActor, recordAudit } from "../audit";
import { isDemoAccount } from "../demo-accounts";
import type { PasswordHashGate } from "./login-limits";
import { hashPassword, verifyPassword } from "./passwords";

/** The problem type when a demo account (published password) is asked to change it. */
export const DEMO_ACCOUNT_PASSWORD = "https://certfleet.dev/problems/demo-account-password";

/**
 * A signed-in user replaces their own password. The current password is checked first (a session
 * left open on a shared screen must not be enough to take the account over); the new one follows
 * the same policy as account creation (PasswordSchema) and must differ from the current one.
 * Every other session of the user ends; the one making the change goes on. Audited either way.
 * Answers how many other sessions were ended.
 */
export async function changeOwnPassword(
  db: Database,
  actor: AuditActor & { sessionId: string },
  input: PasswordChangeBody,
  gate: PasswordHashGate,
): Promise<number> {
  const user = await db.user.findUnique({
    where: { id: actor.id },
    select: { id: true, email: true, passwordHash: true, mustChangePassword: true },
  });
  if (!user) throw new ProblemError(404, "User not found", "Your account no longer exists.");
  if (isDemoAccount(user.email)) {
    // Its password is published on the sign-in page: changing it would lock every other visitor out.
    throw new ProblemError(
      403,
      "Demo accounts keep their password",
      "This demo account's password is published for everyone trying the demo, so it cannot be changed.",
      undefined,
      { type: DEMO_ACCOUNT_PASSWORD },
    );
  }
  if (!user.passwordHash) {
    throw new ProblemError(
      422,
      "No password to change",
      "This account signs in with single sign-on only; its password is managed by the identity provider.",
      [{ field: "currentPassword", message: "this account has no password (single sign-on only)" }],
    );
  }
  const passwordHash = user.passwordHash;
  const currentOk = await gate.run(() => verifyPassword(passwordHash, input.currentPassword));
  if (!currentOk) {
    await recordAudit(db, actor, {
      action: "auth.password_change_failed",
      entityType: "user",
      entityId: user.id,
      after: { reason: "wrong current password" },
    });
    // 422, not 401: the session is fine, only the form is wrong (a 401 would sign the browser out).
    throw new ProblemError(422, "Current password is wrong", "Type the password you signed in with.", [
      { field: "currentPassword", message: "is not your current password" },
    ]);
  }
  if (input.newPassword === input.currentPassword) {
    throw new ProblemError(422, "Choose a different password", "The new password is the current one.", [
      { field: "newPassword", message: "must differ from your current password" },
    ]);
  }
  const newHash = await gate.run(() => hashPassword(input.newPassword));
  return db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash: newHash, mustChangePassword: false },
    });
    // Whoever may know the old password (or holds an old session) is out; this browser stays in.
    const { count } = await tx.session.deleteMany({
      where: { userId: user.id, id: { not: actor.sessionId } },
    });
    await recordAudit(tx, actor, {
      action: "auth.password_change",
      entityType: "user",
      entityId: user.id,
      after: {
        otherSessionsEnded: count,
        ...(user.mustChangePassword ? { requiredAtFirstSignIn: true } : {}),
      },
    });
    return count;
  });
}
