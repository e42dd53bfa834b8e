import type { UserRole } from "@certfleet/contracts";
import { list } from "./host-query";

/**
 * The role ladder (viewer < operator < lead < admin), copied from the contract's USER_ROLES: the
 * web bundle imports contract types only; `list` makes the compiler reject a missing or unknown role.
 */
export const ROLES_LADDER = list<UserRole>()(["viewer", "operator", "lead", "admin"]);

export const USER_ROLE_LABEL: Record<UserRole, string> = {
  viewer: "Viewer",
  operator: "Operator",
  lead: "Lead",
  admin: "Admin",
};

/** Whether `role` includes the rights of `minimum`. The API decides; this only hides what it would refuse. */
export function roleAtLeast(role: UserRole | undefined, minimum: UserRole): boolean {
  if (!role) return false;
  return ROLES_LADDER.indexOf(role) >= ROLES_LADDER.indexOf(minimum);
}
