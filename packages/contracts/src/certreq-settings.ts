import { type Static, Type } from "typebox";
import { DateTime, Nullable } from "./schema-helpers";

/**
 * Which certificate template a CertReq .inf names (issue 13): the bound certificate's own v1 template
 * name, else its v2 template OID looked up here, else the default here; with neither, the .inf leaves
 * CertificateTemplate commented out. Names are checked by the API (422 naming the field), not here, so a
 * bad one gets the reason rather than a schema message.
 */
export const TemplateOidMappingSchema = Type.Object(
  {
    oid: Type.String({
      maxLength: 1000,
      description: "A v2 template OID as certificates carry it (extension 1.3.6.1.4.1.311.21.7)",
    }),
    name: Type.String({ maxLength: 1000, description: "The template's name in Active Directory" }),
  },
  { additionalProperties: false },
);
export type TemplateOidMapping = Static<typeof TemplateOidMappingSchema>;

export const CertReqSettingsSchema = Type.Object({
  defaultTemplateName: Nullable(
    Type.String({
      description:
        "Template requested when the bound certificate names none certfleet can resolve; null: none (the .inf says an admin must set one)",
    }),
  ),
  templateNamesByOid: Type.Array(TemplateOidMappingSchema, {
    description: "v2 template OIDs and the names they stand for, sorted by OID",
  }),
  updatedAt: Nullable(DateTime("When an admin last changed these")),
});
export type CertReqSettings = Static<typeof CertReqSettingsSchema>;

export const CertReqSettingsUpdateSchema = Type.Object(
  {
    defaultTemplateName: Nullable(Type.String({ maxLength: 1000 })),
    templateNamesByOid: Type.Array(TemplateOidMappingSchema, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type CertReqSettingsUpdate = Static<typeof CertReqSettingsUpdateSchema>;
