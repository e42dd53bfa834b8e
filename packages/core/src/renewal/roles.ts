/**
 * Who may do what with renewal tasks. Roles are a ladder, not a set of permissions: each includes
 * everything the previous one may do, so one comparison answers every "may this user..." question.
 */
import { USER_ROLES, type UserRole } from "@certfleet/contracts";

export { USER_ROLES, type UserRole };

/** True when `role` is `minimum` or above it on the ladder. */
export function roleAtLeast(role: UserRole, minimum: UserRole): boolean {
  return USER_ROLES.indexOf(role) >= USER_ROLES.indexOf(minimum);
}
