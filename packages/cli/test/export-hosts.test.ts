import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { HOST_EXPORT_HEADERS } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport, createPki, issueCertificate } from "../../../apps/api/test/support/reports";
import { type ListeningApi, runCli, scratchDir, startApi, tokenWithScopes } from "./support/cli";

let api: ListeningApi;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let readToken: string;

beforeAll(async () => {
  let pki: Awaited<ReturnType<typeof createPki>>;
  [api, scratch, pki] = await Promise.all([startApi(), scratchDir(), createPki()]);
  // Two hosts in two management groups, stored through the API as a collector would.
  for (const [fqdn, group] of [
    ["prod01.cli.contoso.com", "MG-PROD"],
    ["test01.cli.contoso.com", "MG-TEST"],
  ] as const) {
    const certificate = await issueCertificate(pki, { fqdn, serialHex: `1f00000${fqdn.length}bb` });
    const report = buildReport(fqdn, [certificate], { collectedAt: "2026-11-24T10:00:00.000Z" });
    report.host.managementGroup = group;
    const stored = await api.app.inject({
      method: "POST",
      url: "/api/v1/reports",
      headers: { authorization: `Bearer ${api.token}` },
      payload: report,
    });
    if (stored.statusCode !== 201) throw new Error(`seeding ${fqdn}: ${stored.body}`);
  }
  readToken = await tokenWithScopes(api, ["read"]);
});
afterAll(async () => {
  await api?.close();
  await scratch?.remove();
});

const exportCli = (args: string[], token = readToken) =>
  runCli(["export", "hosts", ...args, "--url", api.url, "--token", token], { cwd: scratch.dir });

describe("certfleet export hosts", () => {
  it("streams the filtered CSV to the file: the same bytes the API serves", async () => {
    const run = await exportCli(["--format", "csv", "--group", "MG-TEST", "--out", "test-hosts.csv"]);

    expect(run.code).toBe(0);
    const file = await readFile(path.join(scratch.dir, "test-hosts.csv"), "utf8");
    expect(file).toContain(HOST_EXPORT_HEADERS.fqdn);
    expect(file).toContain("test01.cli.contoso.com");
    expect(file).not.toContain("prod01.cli.contoso.com");
    const served = await api.app.inject({
      method: "GET",
      url: "/api/v1/hosts/export.csv?managementGroup=MG-TEST",
      headers: { authorization: `Bearer ${readToken}` },
    });
    expect(file).toBe(served.body);
    // Not a terminal: a plain progress line, then where it went; no partial file left behind.
    expect(run.stderr).toMatch(/^exporting 1 host \d+(\.\d)? (B|KiB) written$/m);
    expect(run.stderr).toMatch(/wrote test-hosts\.csv \(.+, 1 host\)\n$/);
    expect((await readdir(scratch.dir)).filter((name) => name.endsWith(".part"))).toEqual([]);
  });

  it("writes XLSX (a zip) with every host when no filter is given", async () => {
    const run = await exportCli(["--format", "xlsx", "--out", "all.xlsx"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("wrote all.xlsx");
    expect(run.stderr).toContain("2 hosts");
    const file = await readFile(path.join(scratch.dir, "all.xlsx"));
    expect(file.subarray(0, 2).toString()).toBe("PK");
  });

  it("passes a bad filter value on to the API and prints its refusal (exit 1, no file)", async () => {
    const run = await exportCli(["--status", "purple", "--out", "bad.csv"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^export refused: 400 /m);
    expect(run.stderr).toContain("status");
    expect(existsSync(path.join(scratch.dir, "bad.csv"))).toBe(false);
  });

  it("names the missing read scope (exit 3) and needs --out (exit 2)", async () => {
    const reportsOnly = await tokenWithScopes(api, ["reports"]);
    const refused = await exportCli(["--out", "refused.csv"], reportsOnly);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^certfleet: the token may not do this \(403 .*read scope/);
    expect(existsSync(path.join(scratch.dir, "refused.csv"))).toBe(false);

    const noOut = await exportCli([]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("required option '-o, --out <file>' not specified");
  });

  it("refuses a format it does not know (exit 2)", async () => {
    const run = await exportCli(["--format", "pdf", "--out", "x.pdf"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Allowed choices are csv, xlsx");
  });
});
