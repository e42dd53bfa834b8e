import type { ParsedCertificate } from "../types";

/**
 * Which certificate template a renewal request names. The seed's .inf carries
 * `CertificateTemplate="OperationsManager"` with the comment "ensure to set the name of the template to
 * what yours is named": the name is the organisation's, so certfleet never invents one. In order:
 * 1. the bound certificate's own v1 template name (extension 1.3.6.1.4.1.311.20.2, e.g. "Machine");
 * 2. its v2 template OID (extension 1.3.6.1.4.1.311.21.7) resolved through the OID-to-name map an admin
 *    keeps in Settings (the extension carries only the OID, and only the CA's forest knows the name);
 * 3. the default template name an admin set in Settings;
 * 4. nothing: the .inf then leaves CertificateTemplate commented out and says an admin must set it.
 */

/** What admins set in Settings for CertReq requests. */
export interface RequestTemplateSettings {
  /** The template to request when the bound certificate names none that certfleet can resolve. */
  defaultTemplateName: string | null;
  /** v2 template OID (as the certificate carries it) to the template's name in Active Directory. */
  templateNamesByOid: Readonly<Record<string, string>>;
}

export const NO_REQUEST_TEMPLATE_SETTINGS: RequestTemplateSettings = {
  defaultTemplateName: null,
  templateNamesByOid: {},
};

export type RequestTemplateSource = "certificate-name" | "certificate-oid" | "setting" | "unset";

export interface RequestTemplate {
  /** The name for `CertificateTemplate=`, or null when nothing tells certfleet which template to use. */
  name: string | null;
  source: RequestTemplateSource;
  /** One sentence on where the name came from (or why there is none), for the .inf and the task page. */
  explanation: string;
}

/** An AD object's cn is at most 64 characters (schema rangeUpper of cn), and so is a template name. */
export const MAX_TEMPLATE_NAME_LENGTH = 64;
/** Settings cap: a forest has tens of templates, not thousands. */
export const MAX_TEMPLATE_OID_MAPPINGS = 100;

/**
 * A name that can sit inside `CertificateTemplate="..."` and mean the same to CertReq: no control
 * characters (a line break would start a new INF line), no `"` (ends the value), no `;` (starts an INF
 * comment), no `%` (INF string substitution), no `\`, and no leading or trailing space (INF trims it).
 */
const TEMPLATE_NAME = /^[^\s"%;\\\p{C}](?:[^"%;\\\p{C}]*[^\s"%;\\\p{C}])?$/u;
/** A dotted OID: at least two arcs, no leading zeros, at most 256 characters. */
const OID = /^(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))+$/;
const MAX_OID_LENGTH = 256;

export type NameCheck = { ok: true; value: string } | { ok: false; message: string };

export function checkTemplateName(value: unknown): NameCheck {
  if (typeof value !== "string") return { ok: false, message: "must be a string" };
  if ([...value].length > MAX_TEMPLATE_NAME_LENGTH)
    return { ok: false, message: `must be at most ${MAX_TEMPLATE_NAME_LENGTH} characters` };
  if (!TEMPLATE_NAME.test(value))
    return {
      ok: false,
      message:
        'must be a template name: not empty, no leading or trailing space, no line breaks or control characters, and none of " ; % \\',
    };
  return { ok: true, value };
}

export function checkTemplateOid(value: unknown): NameCheck {
  if (typeof value !== "string" || value.length > MAX_OID_LENGTH || !OID.test(value))
    return { ok: false, message: "must be a dotted object identifier such as 1.3.6.1.4.1.311.21.8.1.2" };
  return { ok: true, value };
}

/** The template a request for this certificate's successor should name; see the module comment. */
export function chooseRequestTemplate(
  template: ParsedCertificate["template"] | null | undefined,
  settings: RequestTemplateSettings,
): RequestTemplate {
  const ownName = template?.name ?? null;
  if (ownName !== null && checkTemplateName(ownName).ok)
    return {
      name: ownName,
      source: "certificate-name",
      explanation: `the bound certificate was issued from template "${ownName}" (its template name extension, 1.3.6.1.4.1.311.20.2)`,
    };
  const oid = template?.oid ?? null;
  const mapped = oid === null ? undefined : settings.templateNamesByOid[oid];
  if (oid !== null && mapped !== undefined && checkTemplateName(mapped).ok)
    return {
      name: mapped,
      source: "certificate-oid",
      explanation: `the bound certificate's template OID ${oid} (template information extension, 1.3.6.1.4.1.311.21.7) is "${mapped}" in Settings`,
    };
  const why =
    oid !== null
      ? `the bound certificate's template OID ${oid} has no name in Settings`
      : "the bound certificate carries no template name or OID";
  const fallback = settings.defaultTemplateName;
  if (fallback !== null && checkTemplateName(fallback).ok)
    return {
      name: fallback,
      source: "setting",
      explanation: `${why}, so the default template "${fallback}" set in Settings is used`,
    };
  return {
    name: null,
    source: "unset",
    explanation: `${why} and no default template is set in Settings: an admin must set one (Settings > CertReq template), or write your Operations Manager template's name into the CertificateTemplate line before running CertReq`,
  };
}

export type SettingsCheck =
  | { ok: true; settings: RequestTemplateSettings }
  | { ok: false; errors: { field: string; message: string }[] };

/**
 * Checks what an admin submits, naming each bad field as the API reports it (`templateNamesByOid[2].oid`).
 * An OID may appear once: two names for one template would make the .inf depend on list order.
 */
export function checkRequestTemplateSettings(input: {
  defaultTemplateName: string | null;
  templateNamesByOid: readonly { oid: string; name: string }[];
}): SettingsCheck {
  const errors: { field: string; message: string }[] = [];
  let defaultTemplateName: string | null = null;
  if (input.defaultTemplateName !== null) {
    const check = checkTemplateName(input.defaultTemplateName);
    if (check.ok) defaultTemplateName = check.value;
    else errors.push({ field: "defaultTemplateName", message: check.message });
  }
  if (input.templateNamesByOid.length > MAX_TEMPLATE_OID_MAPPINGS)
    errors.push({
      field: "templateNamesByOid",
      message: `must hold at most ${MAX_TEMPLATE_OID_MAPPINGS} OIDs`,
    });
  const templateNamesByOid: Record<string, string> = {};
  input.templateNamesByOid.forEach(({ oid, name }, index) => {
    const oidCheck = checkTemplateOid(oid);
    const nameCheck = checkTemplateName(name);
    if (!oidCheck.ok) errors.push({ field: `templateNamesByOid[${index}].oid`, message: oidCheck.message });
    else if (Object.hasOwn(templateNamesByOid, oid))
      errors.push({ field: `templateNamesByOid[${index}].oid`, message: `${oid} is listed twice` });
    if (!nameCheck.ok)
      errors.push({ field: `templateNamesByOid[${index}].name`, message: nameCheck.message });
    if (oidCheck.ok && nameCheck.ok) templateNamesByOid[oid] = name;
  });
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, settings: { defaultTemplateName, templateNamesByOid } };
}

/**
 * A stored value read back: only entries that still pass the checks, so a row edited by hand can never
 * put a quote or a line break into a .inf. Anything unreadable is "nothing set".
 */
export function requestTemplateSettingsFrom(value: unknown): RequestTemplateSettings {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return NO_REQUEST_TEMPLATE_SETTINGS;
  const stored = value as { defaultTemplateName?: unknown; templateNamesByOid?: unknown };
  const fallback = checkTemplateName(stored.defaultTemplateName);
  const templateNamesByOid: Record<string, string> = {};
  const map = stored.templateNamesByOid;
  if (typeof map === "object" && map !== null && !Array.isArray(map))
    for (const [oid, name] of Object.entries(map).slice(0, MAX_TEMPLATE_OID_MAPPINGS)) {
      const nameCheck = checkTemplateName(name);
      if (checkTemplateOid(oid).ok && nameCheck.ok) templateNamesByOid[oid] = nameCheck.value;
    }
  return { defaultTemplateName: fallback.ok ? fallback.value : null, templateNamesByOid };
}
