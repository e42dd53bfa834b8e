import { describe, expect, it } from "vitest";
import {
  checkRequestTemplateSettings,
  checkTemplateName,
  checkTemplateOid,
  chooseRequestTemplate,
  NO_REQUEST_TEMPLATE_SETTINGS,
  type RequestTemplateSettings,
  requestTemplateSettingsFrom,
} from "../src/index";

const V2_OID = "1.3.6.1.4.1.311.21.8.5734392.6195358.1.2";
const v2 = { oid: V2_OID, name: null, majorVersion: 100, minorVersion: 5 };
const v1 = { oid: null, name: "SCOMComputer", majorVersion: null, minorVersion: null };
const admin: RequestTemplateSettings = {
  defaultTemplateName: "OperationsManager",
  templateNamesByOid: { [V2_OID]: "SCOM Channel 2025" },
};

// Source: issue 13 ("the .inf uses the bound certificate's own template name when it carries one (v1
// template-name or v2 template-information extension resolved to a name the admin set), else a template
// name admins set in Settings; never a hard-coded name"); extension OIDs from core template.ts.
describe("chooseRequestTemplate", () => {
  it("takes the certificate's own v1 template name first", () => {
    expect(chooseRequestTemplate(v1, admin)).toMatchObject({
      name: "SCOMComputer",
      source: "certificate-name",
      explanation: expect.stringContaining("1.3.6.1.4.1.311.20.2"),
    });
  });

  it("resolves a v2 template OID through the admin's map", () => {
    expect(chooseRequestTemplate(v2, admin)).toMatchObject({
      name: "SCOM Channel 2025",
      source: "certificate-oid",
      explanation: expect.stringContaining(V2_OID),
    });
  });

  it("falls back to the admin's default when the OID has no name, and says so", () => {
    const choice = chooseRequestTemplate(v2, { ...admin, templateNamesByOid: { "1.2.3": "Other" } });
    expect(choice).toMatchObject({ name: "OperationsManager", source: "setting" });
    expect(choice.explanation).toContain(`template OID ${V2_OID} has no name in Settings`);
  });

  it("falls back to the admin's default for a certificate without template information", () => {
    expect(chooseRequestTemplate(null, admin)).toMatchObject({
      name: "OperationsManager",
      source: "setting",
      explanation: expect.stringContaining("carries no template name or OID"),
    });
  });

  it("with nothing set, names no template (never a built-in one) and says an admin must set it", () => {
    for (const template of [null, v2]) {
      const choice = chooseRequestTemplate(template, NO_REQUEST_TEMPLATE_SETTINGS);
      expect(choice.name).toBeNull();
      expect(choice.source).toBe("unset");
      expect(choice.explanation).toContain("an admin must set one");
    }
  });

  it("skips a certificate's v1 name that could not be written into the file", () => {
    const odd = { ...v1, name: 'Bad"Name' };
    expect(chooseRequestTemplate(odd, admin)).toMatchObject({ name: "OperationsManager", source: "setting" });
  });
});

describe("checkTemplateName and checkTemplateOid", () => {
  it.each(["OperationsManager", "SCOM Channel (2048)", "Opérations-Manager_v2", "a".repeat(64)])(
    "accepts %j",
    (name) => expect(checkTemplateName(name)).toEqual({ ok: true, value: name }),
  );

  it.each([
    'Ops"Mgr',
    "Ops;Mgr",
    "Ops\nMgr",
    "Ops\tMgr",
    "%Name%",
    "a\\b",
    "",
    " x",
    "x ",
    "a".repeat(65),
    7,
  ])("rejects %j", (name) => expect(checkTemplateName(name).ok).toBe(false));

  it("accepts dotted OIDs only", () => {
    expect(checkTemplateOid(V2_OID).ok).toBe(true);
    for (const bad of ["1", "1.2.", "1..2", "01.2", "1.2.a", `1.${"2".repeat(300)}`, null])
      expect(checkTemplateOid(bad).ok).toBe(false);
  });
});

// Source: issue 13 ("validate names ... with 422 naming the field"); the API reports these errors as is.
describe("checkRequestTemplateSettings", () => {
  it("names every bad field by its place in the list", () => {
    const check = checkRequestTemplateSettings({
      defaultTemplateName: "Bad;Name",
      templateNamesByOid: [
        { oid: V2_OID, name: "Good" },
        { oid: V2_OID, name: "Again" },
        { oid: "x", name: "\n" },
      ],
    });
    expect(check).toEqual({
      ok: false,
      errors: [
        { field: "defaultTemplateName", message: expect.any(String) },
        { field: "templateNamesByOid[1].oid", message: `${V2_OID} is listed twice` },
        { field: "templateNamesByOid[2].oid", message: expect.any(String) },
        { field: "templateNamesByOid[2].name", message: expect.any(String) },
      ],
    });
  });

  it("turns a valid list into the map", () => {
    expect(
      checkRequestTemplateSettings({
        defaultTemplateName: null,
        templateNamesByOid: [{ oid: V2_OID, name: "A" }],
      }),
    ).toEqual({ ok: true, settings: { defaultTemplateName: null, templateNamesByOid: { [V2_OID]: "A" } } });
  });

  it("caps the list", () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ oid: `1.2.${i}`, name: `T${i}` }));
    const check = checkRequestTemplateSettings({ defaultTemplateName: null, templateNamesByOid: many });
    expect(check.ok).toBe(false);
  });
});

describe("requestTemplateSettingsFrom", () => {
  it("reads back what was stored and drops what could break a .inf", () => {
    expect(
      requestTemplateSettingsFrom({
        defaultTemplateName: 'Evil"\r\n',
        templateNamesByOid: { [V2_OID]: "Good", "1.2.3": "Bad;", "not-an-oid": "Fine" },
      }),
    ).toEqual({ defaultTemplateName: null, templateNamesByOid: { [V2_OID]: "Good" } });
    for (const junk of [undefined, null, 7, "x", []])
      expect(requestTemplateSettingsFrom(junk)).toEqual(NO_REQUEST_TEMPLATE_SETTINGS);
  });
});
