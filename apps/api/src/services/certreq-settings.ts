import type { CertReqSettings, CertReqSettingsUpdate } from "@certfleet/contracts";
import {
  checkRequestTemplateSettings,
  type RequestTemplateSettings,
  requestTemplateSettingsFrom,
} from "@certfleet/core";
import type { Database } from "@certfleet/db";
import { ProblemError } from "../problem";
import type { AuditActor } from "./audit";
import { writeAuditedSetting } from "./settings";

/** The Setting row holding the CertReq template settings ({ defaultTemplateName, templateNamesByOid }). */
export const CERTREQ_TEMPLATES_KEY = "certreq.templates";

/** What the .inf and the task page use; unset or unreadable rows mean "nothing set". */
export async function readRequestTemplateSettings(
  db: Pick<Database, "setting">,
): Promise<RequestTemplateSettings> {
  const row = await db.setting.findUnique({ where: { key: CERTREQ_TEMPLATES_KEY } });
  return requestTemplateSettingsFrom(row?.value);
}

/** The API view: the map as a list sorted by OID, so the page and the audit log read the same way. */
function view(settings: RequestTemplateSettings) {
  return {
    defaultTemplateName: settings.defaultTemplateName,
    templateNamesByOid: Object.entries(settings.templateNamesByOid)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([oid, name]) => ({ oid, name })),
  };
}

export async function readCertReqSettings(db: Database): Promise<CertReqSettings> {
  const row = await db.setting.findUnique({ where: { key: CERTREQ_TEMPLATES_KEY } });
  return {
    ...view(requestTemplateSettingsFrom(row?.value)),
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export async function updateCertReqSettings(
  db: Database,
  actor: AuditActor,
  update: CertReqSettingsUpdate,
): Promise<CertReqSettings> {
  const check = checkRequestTemplateSettings(update);
  if (!check.ok) {
    const [first] = check.errors;
    throw new ProblemError(
      422,
      "Invalid CertReq template settings",
      first ? `${first.field} ${first.message}` : "invalid settings",
      check.errors,
    );
  }
  const stored = {
    defaultTemplateName: check.settings.defaultTemplateName,
    templateNamesByOid: { ...check.settings.templateNamesByOid },
  };
  await writeAuditedSetting(db, actor, CERTREQ_TEMPLATES_KEY, stored, (value) =>
    view(requestTemplateSettingsFrom(value)),
  );
  return readCertReqSettings(db);
}
