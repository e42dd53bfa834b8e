import { createHash } from "node:crypto";
import {
  type AuditPage,
  HOST_EXPORT_HEADERS,
  type HostExportRow,
  type HostListItem,
  type Problem,
} from "@certfleet/contracts";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostExport } from "../src/services/exports/host-export-rows";
import { createTestApp, type TestApp } from "./support/app";
import { allPages, type HostSpec, postHost } from "./support/estate";
import { createPki, type IssuedCertificate, type Pki } from "./support/reports";
import { tasksFor } from "./support/tasks";

let t: TestApp;
let pki: Pki;
const issued = new Map<string, IssuedCertificate>();

const FORMULA_GROUP = '=HYPERLINK("http://evil.example","click")';
const ESTATE: HostSpec[] = [
  { fqdn: "ms01.contoso.com", role: "ManagementServer", expiresInDays: 365 },
  { fqdn: "gw01.dmz.contoso.com", role: "Gateway", managementGroup: "MG-DMZ", expiresInDays: 5 },
  { fqdn: "agent01.contoso.com", expiresInDays: -3 },
  { fqdn: "agent02.contoso.com", managementGroup: "MG-DEV", expiresInDays: 20, keyProviderType: "KSP" },
  { fqdn: "agent05.contoso.com", unbound: true },
  { fqdn: "agent06.contoso.com", managementGroup: null, expiresInDays: 150, reportedHoursAgo: 24 * 5 },
  { fqdn: "agent08.contoso.com", managementGroup: FORMULA_GROUP, expiresInDays: 200 },
];
const HEADERS = Object.values(HOST_EXPORT_HEADERS);

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
  for (const spec of ESTATE) issued.set(spec.fqdn, await postHost(t, pki, spec));
});
afterAll(async () => t?.close());

/** RFC 4180 records: a quoted field may hold commas, newlines and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ",") {
      endField();
    } else if (!quoted && char === "\n") {
      endField();
      rows.push(row);
      row = [];
    } else if (quoted || char !== "\r") {
      field += char;
    }
  }
  if (field !== "" || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** What the export must say about a host, from the list API (and the certificate and task APIs). */
async function expectedRow(item: HostListItem): Promise<Record<keyof HostExportRow, string>> {
  const certificate = issued.get(item.fqdn);
  const bound = item.boundCertificate;
  const detail = (await t.get(`/api/v1/hosts/${item.fqdn}`)).json<{
    findings: { ruleId: string; severity: string }[];
  }>();
  const rules = (severity: string) =>
    [...new Set(detail.findings.filter((f) => f.severity === severity).map((f) => f.ruleId))].sort();
  const openTask = (await tasksFor(t, item.fqdn)).find(
    (task) => !["done", "cancelled"].includes(task.status),
  );
  return {
    fqdn: item.fqdn,
    role: item.role,
    managementGroup: item.managementGroup ?? "",
    status: item.status ?? "",
    reporting: item.reporting,
    lastReportAt: item.lastReportAt ?? "",
    serialNumber: bound?.serialNumber ?? "",
    thumbprint:
      bound && certificate
        ? createHash("sha1").update(Buffer.from(certificate.base64, "base64")).digest("hex").toUpperCase()
        : "",
    sha256: bound?.sha256 ?? "",
    notAfter: bound?.notAfter ?? "",
    daysLeft: bound ? String(bound.daysLeft) : "",
    expiry: item.expiry,
    errorRules: rules("error").join("; "),
    warningRules: rules("warning").join("; "),
    openTaskStatus: openTask?.status ?? "",
  };
}

const keys = Object.keys(HOST_EXPORT_HEADERS) as (keyof HostExportRow)[];
const asRecord = (cells: readonly string[]) =>
  Object.fromEntries(keys.map((key, index) => [key, cells[index] ?? ""])) as Record<
    keyof HostExportRow,
    string
  >;

describe("GET /api/v1/hosts/export.csv", () => {
  it("streams exactly the filtered list, in its order, with every column the list and detail show", async () => {
    const query = "status=error,warning&sort=fqdn";
    const listed = await allPages(t, query);
    expect(listed.length).toBe(4);

    const response = await t.get(`/api/v1/hosts/export.csv?${query}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(
      /^attachment; filename="certfleet-hosts-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers["x-total-count"]).toBe("4");

    const [header, ...rows] = parseCsv(response.body);
    expect(header).toEqual(HEADERS);
    expect(rows.map(asRecord)).toEqual(await Promise.all(listed.map(expectedRow)));
  });

  it("fills the failing rules and the open renewal task of a host that needs one", async () => {
    const response = await t.get("/api/v1/hosts/export.csv?q=agent01");
    const [, row] = parseCsv(response.body);
    const record = asRecord(row ?? []);
    expect(record).toMatchObject({ fqdn: "agent01.contoso.com", expiry: "expired", errorRules: "validity" });
    expect(Number(record.daysLeft)).toBeLessThan(0);
    expect(record.openTaskStatus).toBe((await tasksFor(t, "agent01.contoso.com"))[0]?.status);
    expect(record.openTaskStatus).not.toBe("");
  });

  it("keeps a formula-looking value as text", async () => {
    const response = await t.get("/api/v1/hosts/export.csv?q=agent08");
    expect(response.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const [, row] = parseCsv(response.body);
    expect(asRecord(row ?? []).managementGroup).toBe(`'${FORMULA_GROUP}`);
  });

  it("sends only the header row when nothing matches", async () => {
    const response = await t.get("/api/v1/hosts/export.csv?q=nowhere");
    expect(response.headers["x-total-count"]).toBe("0");
    expect(parseCsv(response.body)).toEqual([HEADERS]);
  });
});

describe("GET /api/v1/hosts/export.xlsx", () => {
  it("streams a workbook that parses back to the list's rows and values, header frozen", async () => {
    const listed = await allPages(t, "sort=expiry&order=desc");
    const response = await t.get("/api/v1/hosts/export.xlsx?sort=expiry&order=desc");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(response.headers["content-disposition"]).toMatch(
      /filename="certfleet-hosts-\d{4}-\d{2}-\d{2}\.xlsx"/,
    );
    expect(response.headers["x-total-count"]).toBe(String(ESTATE.length));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Hosts");
    if (!sheet) throw new Error("no Hosts sheet");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getColumn(1).width).toBeGreaterThan(20);
    expect(sheet.rowCount).toBe(ESTATE.length + 1);
    const cells = (rowNumber: number) =>
      keys.map((_, index) => {
        const value = sheet.getRow(rowNumber).getCell(index + 1).value;
        return value === null || value === undefined ? "" : String(value);
      });
    expect(cells(1)).toEqual(HEADERS);
    const rows = Array.from({ length: ESTATE.length }, (_, index) => asRecord(cells(index + 2)));
    expect(rows).toEqual(await Promise.all(listed.map(expectedRow)));
    // Numbers stay numbers, and the formula-looking text stays a string (xlsx has no formula escaping to do).
    const agent01 = rows.findIndex((row) => row.fqdn === "agent01.contoso.com") + 2;
    expect(typeof sheet.getRow(agent01).getCell(keys.indexOf("daysLeft") + 1).value).toBe("number");
    const agent08 = rows.findIndex((row) => row.fqdn === "agent08.contoso.com") + 2;
    expect(sheet.getRow(agent08).getCell(keys.indexOf("managementGroup") + 1).value).toBe(FORMULA_GROUP);
  });
});

describe("export paging", () => {
  it("walks keyset batches without losing or repeating a host, in every sort", async () => {
    const clock = { now: new Date(), silentAfterHours: 24 };
    for (const sort of ["expiry", "fqdn", "status", "lastReport"] as const) {
      const listed = await allPages(t, `sort=${sort}`);
      const exported = await startHostExport(t.db, { sort }, clock, 2);
      const fqdns: string[] = [];
      const sizes: number[] = [];
      for await (const batch of exported.batches) {
        sizes.push(batch.length);
        fqdns.push(...batch.map((row) => row.fqdn));
      }
      expect(sizes).toEqual([2, 2, 2, 1]);
      expect(exported.total).toBe(ESTATE.length);
      expect(fqdns, sort).toEqual(listed.map((item) => item.fqdn));
    }
  });
});

describe("export audit and access", () => {
  it("records every export with its filter and row count before streaming", async () => {
    await t.get("/api/v1/hosts/export.csv?role=Gateway");
    await t.get("/api/v1/hosts/export.xlsx?status=error&sort=fqdn");
    const admin = await t.as("admin");
    const audit = await t.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=export.",
      headers: admin.headers,
    });
    const [xlsx, csv] = audit.json<AuditPage>().items;
    const viewer = await t.as("viewer");
    expect(xlsx).toMatchObject({
      action: "export.hosts_xlsx",
      actor: viewer.email,
      entityType: "export",
      after: { filter: { status: "error", sort: "fqdn" }, rows: 3 },
    });
    expect(csv).toMatchObject({
      action: "export.hosts_csv",
      actor: viewer.email,
      after: { filter: { role: "Gateway" }, rows: 1 },
    });
  });

  it("needs a session", async () => {
    for (const format of ["csv", "xlsx"]) {
      const response = await t.app.inject({ method: "GET", url: `/api/v1/hosts/export.${format}` });
      expect(response.statusCode).toBe(401);
    }
  });

  it.each([
    ["status=broken", "status"],
    ["expiresWithinDays=-1", "expiresWithinDays"],
    ["sort=size", "sort"],
    ["cursor=abc", "cursor"],
  ])("rejects %s with a 400 naming the field, and audits nothing", async (query, field) => {
    const before = await t.db.auditEvent.count({ where: { action: { startsWith: "export.hosts_" } } });
    const response = await t.get(`/api/v1/hosts/export.csv?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json<Problem>().errors?.map((error) => error.field)).toContain(field);
    expect(await t.db.auditEvent.count({ where: { action: { startsWith: "export.hosts_" } } })).toBe(before);
  });
});
