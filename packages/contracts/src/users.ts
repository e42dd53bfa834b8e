import { type Static, Type } from "typebox";
import { EmailSchema, SessionUserSchema, UserRoleSchema } from "./auth";
import { DateTime, Nullable } from "./schema-helpers";

/** Long enough that argon2id plus the login rate limit make guessing pointless. */
export const PasswordSchema = Type.String({ minLength: 12, maxLength: 1024 });

/** A signed-in user changing their own password: the current one proves it is them, not a borrowed session. */
export const PasswordChangeBodySchema = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    newPassword: PasswordSchema,
  },
  { additionalProperties: false },
);
export type PasswordChangeBody = Static<typeof PasswordChangeBodySchema>;

export const UserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: UserRoleSchema,
  disabled: Type.Boolean(),
  /** Signs in with a password (false: OIDC only). */
  hasPassword: Type.Boolean(),
  oidc: Type.Boolean(),
  lastSignInAt: Nullable(DateTime()),
  createdAt: DateTime(),
});
export type User = Static<typeof UserSchema>;

export const UserListSchema = Type.Object({ items: Type.Array(UserSchema) });
export type UserList = Static<typeof UserListSchema>;

export const UserCreateSchema = Type.Object(
  {
    email: EmailSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: UserRoleSchema,
    password: PasswordSchema,
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreateSchema>;

export const UserUpdateSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(UserRoleSchema),
    disabled: Type.Optional(Type.Boolean({ description: "Disabling also signs the user out everywhere" })),
    password: Type.Optional(PasswordSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserUpdate = Static<typeof UserUpdateSchema>;

export const UserIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** People a lead can assign renewal work to (operators and above, not disabled): who they are, as a session names them. */
export const AssigneeSchema = SessionUserSchema;
export type Assignee = Static<typeof AssigneeSchema>;
export const AssigneeListSchema = Type.Object({ items: Type.Array(AssigneeSchema) });
