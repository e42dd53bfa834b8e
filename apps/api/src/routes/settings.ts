import {
  CertReqSettingsSchema,
  CertReqSettingsUpdateSchema,
  ProblemSchema,
  SettingsSchema,
  SettingsUpdateSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { auditActor } from "../plugins/auth";
import { readCertReqSettings, updateCertReqSettings } from "../services/certreq-settings";
import { readSettings, updateSettings } from "../services/settings";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;

const settingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const warningDays = app.config.expiryWarningDays;

  app.get(
    "/api/v1/settings",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["settings"],
        summary: "Runtime settings (renewal due dates) and the related environment values",
        response: { 200: SettingsSchema, ...errors },
      },
    },
    async () => readSettings(app.db, warningDays),
  );

  app.patch(
    "/api/v1/settings",
    {
      config: { access: "admin" },
      schema: {
        tags: ["settings"],
        summary: "Change a runtime setting (audited); applies to tasks created from then on",
        body: SettingsUpdateSchema,
        response: { 200: SettingsSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => updateSettings(app.db, auditActor(request), request.body, warningDays),
  );

  app.get(
    "/api/v1/settings/certreq",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["settings"],
        summary: "Certificate templates the CertReq .inf requests: names for v2 template OIDs, and a default",
        response: { 200: CertReqSettingsSchema, ...errors },
      },
    },
    async () => readCertReqSettings(app.db),
  );

  app.put(
    "/api/v1/settings/certreq",
    {
      config: { access: "admin" },
      schema: {
        tags: ["settings"],
        summary: "Set the CertReq template names (audited); the next .inf download uses them",
        body: CertReqSettingsUpdateSchema,
        response: { 200: CertReqSettingsSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => updateCertReqSettings(app.db, auditActor(request), request.body),
  );
};

export default settingRoutes;
