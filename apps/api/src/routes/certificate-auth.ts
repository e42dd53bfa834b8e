import {
  CertificateAuthenticationSchema,
  CertificateAuthSettingUpdateSchema,
  FqdnParamsSchema,
  ManagementGroupIdParamsSchema,
  ManagementGroupListSchema,
  ManagementGroupSchema,
  ProblemSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { auditActor } from "../plugins/auth";
import {
  listManagementGroups,
  setHostCertificateAuth,
  setManagementGroupCertificateAuth,
} from "../services/certificate-auth";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;
const APPLIES =
  "Gateways and hosts that are not domain-joined need a certificate whatever it says. A host's findings " +
  "change at its next report (the rules run on reports); until then the host page shows the new decision " +
  "beside the newest report's outcome.";

/**
 * Which hosts need a channel certificate (issue 13). Admin only, like trust anchors: the setting decides
 * whether a missing certificate is an error or "uses Kerberos" (info), which is what compliance reports
 * and the overview count, so it is policy, not day-to-day renewal work (leads and operators).
 */
const certificateAuthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/management-groups",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["estate"],
        summary: "Management groups with their certificate-authentication setting and host counts",
        response: { 200: ManagementGroupListSchema, ...errors },
      },
    },
    async () => ({ items: await listManagementGroups(app.db) }),
  );

  app.put(
    "/api/v1/management-groups/:id/certificate-authentication",
    {
      config: { access: "admin" },
      schema: {
        tags: ["estate"],
        summary:
          "Set whether a management group's hosts need a channel certificate (null: role default); audited",
        description: APPLIES,
        params: ManagementGroupIdParamsSchema,
        body: CertificateAuthSettingUpdateSchema,
        response: { 200: ManagementGroupSchema, 404: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) =>
      setManagementGroupCertificateAuth(
        app.db,
        auditActor(request),
        request.params.id,
        request.body.required,
      ),
  );

  app.put(
    "/api/v1/hosts/:fqdn/certificate-authentication",
    {
      config: { access: "admin" },
      schema: {
        tags: ["estate"],
        summary: "Set whether one host needs a channel certificate (null: its group's setting); audited",
        description: APPLIES,
        params: FqdnParamsSchema,
        body: CertificateAuthSettingUpdateSchema,
        response: { 200: CertificateAuthenticationSchema, 404: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) =>
      setHostCertificateAuth(app.db, auditActor(request), request.params.fqdn, request.body.required),
  );
};

export default certificateAuthRoutes;
