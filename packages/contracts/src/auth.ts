import { type Static, Type } from "typebox";
import { Nullable } from "./schema-helpers";

/** Roles, each including the rights of the ones before it. */
export const USER_ROLES = ["viewer", "operator", "lead", "admin"] as const;
export const UserRoleSchema = Type.Enum([...USER_ROLES]);
export type UserRole = Static<typeof UserRoleSchema>;

export const EmailSchema = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: "^[^\\s@]+@[^\\s@]+$",
  description: "E-mail address (case-insensitive)",
});

export const LoginBodySchema = Type.Object(
  {
    email: EmailSchema,
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

export const SessionUserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: UserRoleSchema,
});
export type SessionUser = Static<typeof SessionUserSchema>;

/** The signed-in user and the CSRF token to send as `x-csrf-token` on every state-changing call. */
export const SessionSchema = Type.Object({
  user: SessionUserSchema,
  csrfToken: Type.String(),
  expiresAt: Type.String({ format: "date-time" }),
  method: Type.Enum(["password", "oidc"]),
  /**
   * True for the first admin until they choose a new password: until then every route but this
   * one, sign-out and POST /api/v1/auth/password answers 403 (type …/password-change-required).
   */
  passwordChangeRequired: Type.Boolean(),
});
export type Session = Static<typeof SessionSchema>;

export const DemoAccountSchema = Type.Object({
  email: Type.String(),
  password: Type.String(),
  role: UserRoleSchema,
});

/** What the sign-in page needs before anyone is signed in. */
export const AuthOptionsSchema = Type.Object({
  oidc: Nullable(Type.Object({ name: Type.String(), startUrl: Type.String() })),
  /** The documented demo accounts, only while the demo estate is loaded. */
  demoAccounts: Type.Array(DemoAccountSchema),
});
export type AuthOptions = Static<typeof AuthOptionsSchema>;

export const LogoutResultSchema = Type.Object({
  sessionsEnded: Type.Integer({ description: "How many sessions were signed out" }),
});
