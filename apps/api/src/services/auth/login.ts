import type { Database } from "@certfleet/db";
import { recordAudit } from "../audit";
import type { PasswordHashGate } from "./login-limits";
import { verifyPassword } from "./passwords";

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
}

/**
 * The user id when the e-mail and password are right and the account is enabled; audited either way.
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
  await recordAudit(db, user ? { id: user.id, email, ip: attempt.ip } : { id: 0, email, ip: attempt.ip }, {
    action: ok ? "auth.login" : "auth.login_failed",
    entityType: "session",
    // Why it failed stays in the log for admins; the caller only ever hears "wrong e-mail or password".
    after: ok
      ? { method: "password" }
      : { reason: !user ? "unknown e-mail" : user.disabledAt ? "account disabled" : "wrong password" },
  });
  return ok ? user.id : null;
}
