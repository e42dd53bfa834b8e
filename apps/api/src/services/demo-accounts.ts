import type { UserRole } from "@certfleet/contracts";
import { USER_ROLES } from "@certfleet/core";
import type { Database } from "@certfleet/db";
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
