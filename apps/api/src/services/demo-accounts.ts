import type { UserRole } from "@certfleet/contracts";
import { USER_ROLES } from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { recordAudit } from "./audit";
import { ensureUser } from "./users";

/**
 * One account per role for the demo estate, with passwords documented in the README: the demo is for
 * looking around, never for real data. They exist only when the demo estate is loaded.
 */
export function demoAccounts(): { email: string; password: string; role: UserRole }[] {
  return USER_ROLES.map((role) => ({
    email: `${role}@demo.certfleet.local`,
    password: `demo-${role}-password`,
    role,
  }));
}

/**
 * A demo account: its password is published, so it keeps that password for every visitor (no
 * change by its user, no forced change at first sign-in). An admin can still reset or disable it.
 */
export function isDemoAccount(email: string): boolean {
  const lower = email.toLowerCase();
  return demoAccounts().some((account) => account.email === lower);
}

const DEMO_NAMES: Record<UserRole, string> = {
  viewer: "Vera Viewer",
  operator: "Omar Operator",
  lead: "Lena Lead",
  admin: "Adam Admin",
};

export async function ensureDemoAccounts(db: Database): Promise<void> {
  for (const account of demoAccounts()) {
    await ensureUser(db, { ...account, name: DEMO_NAMES[account.role] });
  }
}

/**
 * Disables the demo accounts left from a demo run on loopback, for an instance that now listens
 * beyond it (CERTFLEET_API_HOST / CERTFLEET_WEB_HOST): their passwords are published, so anyone who
 * reaches the address could sign in as an admin. Their sessions end too; one audit entry each.
 * Answers the e-mails disabled.
 */
export async function disableDemoAccounts(db: Database): Promise<string[]> {
  const emails = demoAccounts().map((account) => account.email);
  return db.$transaction(async (tx) => {
    const enabled = await tx.user.findMany({
      where: { email: { in: emails }, disabledAt: null },
      select: { id: true, email: true },
    });
    if (enabled.length === 0) return [];
    const ids = enabled.map((user) => user.id);
    await tx.user.updateMany({ where: { id: { in: ids } }, data: { disabledAt: new Date() } });
    await tx.session.deleteMany({ where: { userId: { in: ids } } });
    for (const user of enabled)
      await recordAudit(tx, null, {
        action: "user.update",
        entityType: "user",
        entityId: user.id,
        before: { email: user.email, disabled: false },
        after: {
          email: user.email,
          disabled: true,
          reason: "demo account on an instance listening beyond loopback",
        },
      });
    return enabled.map((user) => user.email);
  });
}
