import { describe, expect, it } from "vitest";
import { ApiError } from "../src/lib/api";
import { formatTemplateMap, parseTemplateMap, templateMapErrors } from "../src/lib/certreq-templates";

// The Settings page's "Template names by OID" field (issue 13: CertReq template names set by admins).
describe("the template names by OID field", () => {
  it("reads one OID = name per line, skipping blank lines and keeping spaces inside names", () => {
    const parsed = parseTemplateMap(
      "\n1.3.6.1.4.1.311.21.8.1.2 = SCOM Channel\r\n\n  1.3.6.1.4.1.311.21.8.9=Gateway (2048)  \n",
    );
    expect(parsed.mappings).toEqual([
      { oid: "1.3.6.1.4.1.311.21.8.1.2", name: "SCOM Channel" },
      { oid: "1.3.6.1.4.1.311.21.8.9", name: "Gateway (2048)" },
    ]);
    expect(parsed.lines).toEqual([2, 4]);
    expect(parsed.errors).toEqual([]);
  });

  it("flags a line that is not OID = name before anything is sent", () => {
    expect(parseTemplateMap("1.2.3 = A\nOperationsManager\n= B").errors).toEqual([
      "line 2: write it as OID = template name",
      "line 3: write it as OID = template name",
    ]);
  });

  it("round-trips what the API returns", () => {
    const mappings = [{ oid: "1.2.3", name: "A" }];
    expect(parseTemplateMap(formatTemplateMap(mappings)).mappings).toEqual(mappings);
  });

  it("points the API's 422 errors at the text line they came from", () => {
    const parsed = parseTemplateMap("1.2.3 = A\n\n1.2.3 = B\n1.2.x = C");
    const error = new ApiError(422, "Invalid CertReq template settings", undefined, {
      type: "about:blank",
      title: "Invalid CertReq template settings",
      status: 422,
      errors: [
        { field: "templateNamesByOid[1].oid", message: "1.2.3 is listed twice" },
        { field: "templateNamesByOid[2].oid", message: "must be a dotted object identifier" },
        { field: "defaultTemplateName", message: "ignored here: it has its own input" },
      ],
    });
    expect(templateMapErrors(error, parsed.lines)).toEqual([
      "line 3 (oid): 1.2.3 is listed twice",
      "line 4 (oid): must be a dotted object identifier",
    ]);
    expect(templateMapErrors(new Error("x"), parsed.lines)).toEqual([]);
  });
});
