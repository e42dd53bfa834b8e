import { type Static, Type } from "typebox";
import { DateTime, Nullable } from "./schema-helpers";

/** A trusted root or issuing CA certificate the server checks chains against. */
export const TrustAnchorSchema = Type.Object({
  id: Type.Integer(),
  sha256: Type.String({ description: "Lower-case hex SHA-256 of the DER" }),
  thumbprint: Type.String({ description: "Upper-case hex SHA-1 of the DER, as Windows shows it" }),
  subject: Type.String(),
  issuer: Type.String(),
  serialNumber: Type.String(),
  notBefore: DateTime(),
  notAfter: DateTime(),
  /** Self-signed: a root. Otherwise an issuing (intermediate) CA the admin trusts directly. */
  selfSigned: Type.Boolean(),
  createdAt: DateTime(),
  createdBy: Nullable(Type.String({ description: "E-mail of the admin who added it" })),
});
export type TrustAnchor = Static<typeof TrustAnchorSchema>;

export const TrustAnchorListSchema = Type.Object({ items: Type.Array(TrustAnchorSchema) });
export type TrustAnchorList = Static<typeof TrustAnchorListSchema>;

export const TrustAnchorCreateSchema = Type.Object(
  {
    certificate: Type.String({
      minLength: 1,
      maxLength: 65_536,
      description:
        "One CA certificate: PEM (-----BEGIN CERTIFICATE-----) or base64 DER. Private keys are refused.",
    }),
  },
  { additionalProperties: false },
);
export type TrustAnchorCreate = Static<typeof TrustAnchorCreateSchema>;

export const TrustAnchorIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
