import type { Database } from "@certfleet/db";
import { recordAudit } from "../audit";
import type { PasswordHashGate } from "./login-limits";
import { verifyPassword } from "./passwords";
import { closeAccountSignInFailures, recordSignInFailure } from "./sign-in-failures";

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
}

/**
 * The user id when the e-mail and password are right and the account is enabled; audited either way
 * (failures summed per account or address, see sign-in-failures.ts).
 * With a gate, the hash waits for a slot (or throws HashCapacityExceeded, nothing audited).
 */
export async function checkPassword(
  db: Database,
  attempt: LoginAttempt,
  gate?: PasswordHashGate,
): Promise<number | null> {
  const email = attempt.email.toLowerCase();
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, disabledAt: true },
  });
  const verify = () => verifyPassword(user?.passwordHash ?? null, attempt.password);
  const passwordOk = await (gate ? gate.run(verify) : verify());
  const ok = user !== null && passwordOk && user.disabledAt === null;
  if (!ok) {
    // Why it failed stays in the log for admins; the caller only ever hears "wrong e-mail or password".
    // Counted into one audit entry per account (or address) and window, not a row per attempt.
    await recordSignInFailure(db, {
      method: "password",
      reason: !user ? "unknown e-mail" : user.disabledAt ? "account disabled" : "wrong password",
      ip: attempt.ip,
      account: user ? { id: user.id, email } : null,
      email,
    });
    return null;
  }
  // The failures before this success reach the log first, so it reads "N failures, then signed in".
  await closeAccountSignInFailures(db, user.id);
  await recordAudit(
    db,
    { id: user.id, email, ip: attempt.ip },
    {
      action: "auth.login",
      entityType: "session",
      after: { method: "password" },
    },
  );
  return user.id;
}
