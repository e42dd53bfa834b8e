import type { Assignee, User, UserCreate, UserRole, UserUpdate } from "@certfleet/contracts";
import { type Database, Prisma } from "@certfleet/db";
import { ProblemError } from "../problem";
import { type AuditActor, recordAudit } from "./audit";
import { hashPassword } from "./auth/passwords";

export const USER_FIELDS = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabledAt: true,
  passwordHash: true,
  oidcSubject: true,
  lastSignInAt: true,
  createdAt: true,
} as const;

type UserRow = Prisma.UserGetPayload<{ select: typeof USER_FIELDS }>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabledAt !== null,
    hasPassword: row.passwordHash !== null,
    oidc: row.oidcSubject !== null,
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What the audit log keeps of a user: never the password hash. */
function auditView(user: User) {
  const { lastSignInAt: _seen, ...rest } = user;
  return rest;
}

export async function listUsers(db: Database): Promise<User[]> {
  const rows = await db.user.findMany({ select: USER_FIELDS, orderBy: { email: "asc" } });
  return rows.map(toUser);
}

export async function listAssignees(db: Database): Promise<Assignee[]> {
  return db.user.findMany({
    where: { disabledAt: null, role: { in: ["operator", "lead", "admin"] } },
    select: { id: true, email: true, name: true, role: true },
    orderBy: { name: "asc" },
  });
}

export async function createUser(
  db: Database,
  actor: AuditActor | null,
  input: UserCreate,
  options: { mustChangePassword?: boolean } = {},
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const email = input.email.toLowerCase();
  const mustChangePassword = options.mustChangePassword === true;
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.user.create({
        data: { email, name: input.name, role: input.role, passwordHash, mustChangePassword },
        select: USER_FIELDS,
      });
      const user = toUser(row);
      await recordAudit(tx, actor, {
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        after: { ...auditView(user), ...(mustChangePassword ? { mustChangePassword } : {}) },
      });
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ProblemError(409, "E-mail already in use", `A user with e-mail ${email} exists.`, [
        { field: "email", message: "is already in use" },
      ]);
    }
    throw error;
  }
}

export async function updateUser(
  db: Database,
  actor: AuditActor,
  id: number,
  input: UserUpdate,
): Promise<User> {
  if (id === actor.id && (input.disabled === true || (input.role && input.role !== "admin"))) {
    // Otherwise an admin can lock everyone out of user management, including themselves.
    throw new ProblemError(422, "Cannot demote or disable yourself", "Ask another admin to do it.", [
      {
        field: input.disabled === true ? "disabled" : "role",
        message: "cannot change your own admin access",
      },
    ]);
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id }, select: USER_FIELDS });
    if (!before) throw new ProblemError(404, "User not found", `No user with id ${id}.`);
    const row = await tx.user.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.disabled !== undefined
          ? { disabledAt: input.disabled ? (before.disabledAt ?? new Date()) : null }
          : {}),
        ...(passwordHash ? { passwordHash } : {}),
      },
      select: USER_FIELDS,
    });
    // A disabled user, a new password or a changed role: existing sessions must not outlive the change.
    if (input.disabled === true || passwordHash || (input.role && input.role !== before.role)) {
      await tx.session.deleteMany({ where: { userId: id } });
    }
    const user = toUser(row);
    await recordAudit(tx, actor, {
      action: "user.update",
      entityType: "user",
      entityId: id,
      before: auditView(toUser(before)),
      after: { ...auditView(user), ...(passwordHash ? { passwordChanged: true } : {}) },
    });
    return user;
  });
}

/**
 * The first admin on a database without users (CERTFLEET_ADMIN_EMAIL / CERTFLEET_ADMIN_PASSWORD).
 * That password sat in an environment file or a shell history, so it only opens the door: the
 * admin must choose a new one before anything else (see mustChangePassword).
 */
export async function bootstrapAdmin(
  db: Database,
  admin: { email: string; password: string },
  /** false only for tests and benchmarks, whose admin password is no secret to begin with. */
  options: { mustChangePassword: boolean } = { mustChangePassword: true },
): Promise<"created" | "exists"> {
  if ((await db.user.count()) > 0) return "exists";
  try {
    await createUser(
      db,
      null,
      {
        email: admin.email,
        name: "Administrator",
        role: "admin",
        password: admin.password,
      },
      options,
    );
    return "created";
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (error instanceof ProblemError && error.status === 409) return "exists";
    throw error;
  }
}

/** Creates the account when missing; an existing one is left as its owner changed it. */
export async function ensureUser(
  db: Database,
  account: { email: string; name: string; role: UserRole; password: string },
): Promise<void> {
  const exists = await db.user.findUnique({ where: { email: account.email }, select: { id: true } });
  if (!exists)
    await createUser(db, null, account).catch((error: unknown) => {
      if (!(error instanceof ProblemError && error.status === 409)) throw error;
    });
}
