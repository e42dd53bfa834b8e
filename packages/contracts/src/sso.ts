import { type Static, Type } from "typebox";

/** POST /api/v1/auth/oidc/link: a signed-in user starts linking their single sign-on identity. */
export const OidcLinkStartBodySchema = Type.Object(
  {
    next: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'Same-site path the browser returns to afterwards, e.g. "/account" (default "/")',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OidcLinkStartBody = Static<typeof OidcLinkStartBodySchema>;

export const OidcLinkStartSchema = Type.Object({
  authorizationUrl: Type.String({ description: "Send the browser here (the identity provider)" }),
});
export type OidcLinkStart = Static<typeof OidcLinkStartSchema>;

/** PUT /api/v1/users/:id/oidc: an admin links an account to a single sign-on identity. */
export const UserOidcLinkSchema = Type.Object(
  {
    subject: Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: "^\\S+$",
      description:
        "The identity's `sub` claim at the configured identity provider (a refused sign-in's audit entry, auth.oidc_link_refused, names it)",
    }),
  },
  { additionalProperties: false },
);
export type UserOidcLink = Static<typeof UserOidcLinkSchema>;
